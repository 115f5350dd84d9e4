import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../test/wait-for.ts'
import type { DrainerMessage, Spool } from './index.ts'
import { openSpool, startDrainer } from './index.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const tempSpool = async (): Promise<Spool> => {
  const dir = mkdtempSync(join(tmpdir(), 'callbridge-drainer-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const spool = await openSpool({ dir, segmentBytes: 2048 })
  cleanups.push(() => spool.close())
  return spool
}

const input = (n: number, topic = 'calls.raw') => ({
  topic,
  key: `k${n}`,
  value: `v${n}`,
  headers: { ce_id: `id-${n}` },
})
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

/** A fake Kafka: records every call, fails the first `failFirst`, keeps what it accepted. */
const fakeKafka = (failFirst = 0) => {
  const calls: { topic: string; keys: string[]; ok: boolean }[] = []
  const accepted: { topic: string; message: DrainerMessage }[] = []
  const publish = async (topic: string, messages: DrainerMessage[]) => {
    const ok = calls.length >= failFirst
    calls.push({ topic, keys: messages.map((m) => m.key), ok })
    if (!ok) throw new Error('broker unavailable')
    for (const message of messages) accepted.push({ topic, message })
  }
  return { calls, accepted, publish, acceptedKeys: () => accepted.map((a) => a.message.key) }
}

describe('drainer', () => {
  it('publishes every spooled record in order and empties the spool', async () => {
    const spool = await tempSpool()
    await spool.append(range(120).map((n) => input(n)))
    const kafka = fakeKafka()
    const drained: number[] = []
    const drainer = startDrainer({
      spool,
      publish: kafka.publish,
      batchSize: 50,
      onDrained: (n) => drained.push(n),
    })
    await drainer.drainedOnce()
    expect(kafka.acceptedKeys()).toEqual(range(120).map((n) => `k${n}`))
    expect(kafka.accepted[0]?.message).toEqual({
      key: 'k0',
      value: 'v0',
      headers: { ce_id: 'id-0' },
    })
    expect(kafka.calls.map((c) => c.keys.length)).toEqual([50, 50, 20])
    expect(spool.stats().records).toBe(0)
    expect(drained).toEqual([120])
    await drainer.stop()
  })

  it('retries the same records after failed publishes, losing, skipping and duplicating none', async () => {
    const spool = await tempSpool()
    await spool.append(range(30).map((n) => input(n)))
    const kafka = fakeKafka(3)
    const errors: unknown[] = []
    const drainer = startDrainer({
      spool,
      publish: kafka.publish,
      batchSize: 10,
      retryMs: 1,
      onError: (error) => errors.push(error),
    })
    await drainer.drainedOnce()
    await drainer.stop()
    const firstBatch = range(10).map((n) => `k${n}`)
    expect(kafka.calls.slice(0, 4).map((c) => c.keys)).toEqual([
      firstBatch,
      firstBatch,
      firstBatch,
      firstBatch,
    ])
    expect(kafka.calls.map((c) => c.ok)).toEqual([false, false, false, true, true, true])
    expect(kafka.acceptedKeys()).toEqual(range(30).map((n) => `k${n}`))
    expect(errors).toHaveLength(3)
    expect(spool.stats().records).toBe(0)
  })

  it('publishes consecutive records of one topic together and keeps the order across topics', async () => {
    const spool = await tempSpool()
    const topics = ['a', 'a', 'b', 'b', 'b', 'a', 'c']
    await spool.append(topics.map((topic, n) => input(n, topic)))
    const kafka = fakeKafka()
    const drainer = startDrainer({ spool, publish: kafka.publish })
    await drainer.drainedOnce()
    await drainer.stop()
    expect(kafka.calls.map((c) => [c.topic, c.keys])).toEqual([
      ['a', ['k0', 'k1']],
      ['b', ['k2', 'k3', 'k4']],
      ['a', ['k5']],
      ['c', ['k6']],
    ])
  })

  it('acks the runs Kafka took before a failure and resumes at the run that failed', async () => {
    const spool = await tempSpool()
    await spool.append([input(0, 'a'), input(1, 'a'), input(2, 'b'), input(3, 'c')])
    const calls: string[] = []
    let failedOnce = false
    const publish = async (topic: string, messages: DrainerMessage[]) => {
      calls.push(`${topic}:${messages.map((m) => m.key).join(',')}`)
      if (topic === 'b' && !failedOnce) {
        failedOnce = true
        throw new Error('partition leader moved')
      }
    }
    const drainer = startDrainer({ spool, publish, retryMs: 1 })
    await drainer.drainedOnce()
    await drainer.stop()
    expect(calls).toEqual(['a:k0,k1', 'b:k2', 'b:k2', 'c:k3'])
  })

  it('sleeps while the spool is empty and drains new records as soon as it is woken', async () => {
    const spool = await tempSpool()
    const kafka = fakeKafka()
    const drainer = startDrainer({ spool, publish: kafka.publish, idleMs: 600_000 })
    await drainer.drainedOnce()
    expect(kafka.calls).toEqual([])
    await spool.append([input(1), input(2)])
    drainer.wake()
    await waitFor(() => kafka.accepted.length === 2, { what: 'the woken drainer to publish' })
    expect(kafka.acceptedKeys()).toEqual(['k1', 'k2'])
    await waitFor(() => spool.stats().records === 0, { what: 'the ack' })
    await drainer.stop()
  })

  it('finishes the batch in flight when stopped, then publishes nothing more', async () => {
    const spool = await tempSpool()
    await spool.append(range(6).map((n) => input(n)))
    let release: () => void = () => {}
    const calls: string[][] = []
    const publish = async (_topic: string, messages: DrainerMessage[]) => {
      calls.push(messages.map((m) => m.key))
      await new Promise<void>((resolve) => {
        release = resolve
      })
    }
    const drainer = startDrainer({ spool, publish, batchSize: 3 })
    const drained = drainer.drainedOnce().then(
      () => 'drained',
      (error: Error) => error.message,
    )
    await waitFor(() => calls.length === 1, { what: 'the first publish' })
    let stopped = false
    const stopping = drainer.stop().then(() => {
      stopped = true
    })
    await Promise.resolve()
    expect(stopped).toBe(false)
    release()
    await stopping
    expect(calls).toEqual([['k0', 'k1', 'k2']])
    expect(spool.stats().records).toBe(3)
    expect(keysOf(await spool.peek(10))).toEqual(['k3', 'k4', 'k5'])
    expect(await drained).toMatch(/stopped before the spool was empty/)
    await expect(drainer.drainedOnce()).rejects.toThrow('stopped')
  })

  it('stops promptly while backing off from a broker that stays down', async () => {
    const spool = await tempSpool()
    await spool.append([input(0)])
    const kafka = fakeKafka(Number.POSITIVE_INFINITY)
    const drainer = startDrainer({ spool, publish: kafka.publish, retryMs: 600_000 })
    await waitFor(() => kafka.calls.length === 1, { what: 'the failed publish' })
    await drainer.stop()
    expect(kafka.calls).toHaveLength(1)
    expect(spool.stats().records).toBe(1)
  })
})

const keysOf = (records: readonly { key: string }[]) => records.map((r) => r.key)
