import { describe, expect, it } from 'vitest'
import type { OutgoingMessage } from '../../platform/bus/port.ts'
import { waitFor } from '../../test/wait-for.ts'
import { createBatcher } from './batcher.ts'

const message = (n: number): OutgoingMessage => ({ key: `k${n}`, value: `v${n}` })

describe('the group-commit batcher', () => {
  it('sends concurrent messages for one topic in one produce call', async () => {
    const calls: { topic: string; size: number }[] = []
    const batcher = createBatcher({
      publish: async (topic, messages) => {
        calls.push({ topic, size: messages.length })
      },
      lingerMs: 5,
    })
    await Promise.all(Array.from({ length: 40 }, (_, i) => batcher.send('t', message(i))))
    expect(calls).toEqual([{ topic: 't', size: 40 }])
  })

  it('flushes at maxMessages without waiting for the linger time', async () => {
    const sizes: number[] = []
    const batcher = createBatcher({
      publish: async (_topic, messages) => {
        sizes.push(messages.length)
      },
      maxMessages: 10,
      lingerMs: 60_000,
    })
    const sends = Array.from({ length: 25 }, (_, i) => batcher.send('t', message(i)))
    await Promise.all(sends.slice(0, 20))
    expect(sizes.slice(0, 2)).toEqual([10, 10])
    await batcher.drain()
    await Promise.all(sends)
    expect(sizes).toEqual([10, 10, 5])
  })

  it('gathers what arrives while a batch is in flight into the next batch, sent when it settles', async () => {
    const sizes: number[] = []
    const gates: (() => void)[] = []
    const batcher = createBatcher({
      publish: (_topic, messages) => {
        sizes.push(messages.length)
        return new Promise<void>((resolve) => gates.push(resolve))
      },
      lingerMs: 0,
    })
    const first = batcher.send('t', message(0))
    await waitFor(() => sizes.length === 1, { what: 'the first batch' })
    const next = Array.from({ length: 5 }, (_, i) => batcher.send('t', message(i + 1)))
    await new Promise((resolve) => setImmediate(resolve))
    expect(sizes).toEqual([1])
    gates.shift()?.()
    await first
    await waitFor(() => sizes.length === 2, { what: 'the second batch' })
    expect(sizes).toEqual([1, 5])
    gates.shift()?.()
    await Promise.all(next)
  })

  it('keeps topics in separate batches and rejects every waiter of a failed batch', async () => {
    const batcher = createBatcher({
      publish: async (topic) => {
        if (topic === 'bad') throw new Error('broker down')
      },
    })
    const results = await Promise.allSettled([
      batcher.send('good', message(1)),
      batcher.send('bad', message(2)),
      batcher.send('bad', message(3)),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected'])
  })

  it('keeps the order of messages within a batch', async () => {
    let seen: string[] = []
    const batcher = createBatcher({
      publish: async (_t, messages) => {
        seen = messages.map((m) => m.key)
      },
    })
    await Promise.all([0, 1, 2, 3].map((i) => batcher.send('t', message(i))))
    expect(seen).toEqual(['k0', 'k1', 'k2', 'k3'])
  })
})
