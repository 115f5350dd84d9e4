import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Spool, SyncKind } from './index.ts'
import { openSpool } from './index.ts'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'callbridge-spool-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const input = (n: number, topic = 'calls.raw') => ({
  topic,
  key: `k${n}`,
  value: JSON.stringify({ n, pad: 'x'.repeat(40) }),
  headers: { ce_id: `id-${n}` },
})
const keys = (records: readonly { key: string }[]) => records.map((r) => r.key)
const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const segmentFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.log'))

describe('spool', () => {
  it('returns appended records in order from peek, stamped with the clock', async () => {
    let clock = 1000
    const spool = await openSpool({ dir: tempDir(), now: () => clock++ })
    await spool.append([input(0), input(1)])
    await spool.append([input(2)])
    const records = await spool.peek(10)
    expect(keys(records)).toEqual(['k0', 'k1', 'k2'])
    expect(records[0]).toEqual({ ...input(0), spooledAt: 1000 })
    expect(records[2]?.spooledAt).toBe(1001)
    expect(keys(await spool.peek(2))).toEqual(['k0', 'k1'])
    expect(spool.stats()).toMatchObject({ records: 3, oldestSpooledAt: 1000 })
    expect(spool.stats().bytes).toBeGreaterThan(0)
    await spool.close()
  })

  it('keeps unacked records across close and reopen', async () => {
    const dir = tempDir()
    const first = await openSpool({ dir, now: () => 42 })
    await first.append(range(5).map((n) => input(n)))
    const before = first.stats()
    await first.close()
    const second = await openSpool({ dir })
    expect(keys(await second.peek(10))).toEqual(['k0', 'k1', 'k2', 'k3', 'k4'])
    expect(second.stats()).toEqual(before)
    await second.close()
  })

  it('removes acked records durably: a reopened spool does not replay them', async () => {
    const dir = tempDir()
    let clock = 0
    const first = await openSpool({ dir, now: () => clock++ })
    for (const n of range(5)) await first.append([input(n)])
    await first.peek(3)
    await first.ack(2)
    expect(first.stats()).toMatchObject({ records: 3, oldestSpooledAt: 2 })
    expect(keys(await first.peek(10))).toEqual(['k2', 'k3', 'k4'])
    await first.close()
    const second = await openSpool({ dir })
    expect(keys(await second.peek(10))).toEqual(['k2', 'k3', 'k4'])
    expect(second.stats()).toMatchObject({ records: 3, oldestSpooledAt: 2 })
    await second.peek(10)
    await second.ack(3)
    expect(second.stats()).toEqual({ records: 0, bytes: 0, oldestSpooledAt: null })
    await second.close()
    const third = await openSpool({ dir })
    expect(await third.peek(10)).toEqual([])
    await third.append([input(9)])
    expect(keys(await third.peek(10))).toEqual(['k9'])
    await third.close()
  })

  it('refuses to ack more records than the last peek returned', async () => {
    const spool = await openSpool({ dir: tempDir() })
    await spool.append([input(0), input(1)])
    await spool.peek(1)
    await expect(spool.ack(2)).rejects.toThrow(RangeError)
    await spool.ack(1)
    expect(keys(await spool.peek(5))).toEqual(['k1'])
    await spool.close()
  })

  it('persists 200 concurrent appends in call order, resolving in call order, with few fsyncs', async () => {
    const dir = tempDir()
    const syncs: SyncKind[] = []
    const spool = await openSpool({ dir, onSync: (kind) => syncs.push(kind) })
    const resolved: number[] = []
    await Promise.all(range(200).map((n) => spool.append([input(n)]).then(() => resolved.push(n))))
    expect(resolved).toEqual(range(200))
    expect(keys(await spool.peek(500))).toEqual(range(200).map((n) => `k${n}`))
    const segmentSyncs = syncs.filter((kind) => kind === 'segment').length
    expect(segmentSyncs).toBeGreaterThanOrEqual(1)
    expect(segmentSyncs).toBeLessThanOrEqual(5)
    await spool.close()
  })

  it('groups appends queued behind a write in progress into one following write', async () => {
    const syncs: SyncKind[] = []
    const spool = await openSpool({ dir: tempDir(), onSync: (kind) => syncs.push(kind) })
    const first = spool.append([input(0)])
    await Promise.resolve()
    await Promise.resolve()
    const rest = range(99).map((n) => spool.append([input(n + 1)]))
    await Promise.all([first, ...rest])
    expect(keys(await spool.peek(200))).toEqual(range(100).map((n) => `k${n}`))
    expect(syncs.filter((kind) => kind === 'segment')).toHaveLength(2)
    await spool.close()
  })

  it('rolls segments over at segmentBytes and deletes segments once fully acked', async () => {
    const dir = tempDir()
    const spool = await openSpool({ dir, segmentBytes: 400 })
    for (const n of range(12)) await spool.append([input(n)])
    const rolled = segmentFiles(dir)
    expect(rolled.length).toBeGreaterThan(3)
    expect(keys(await spool.peek(100))).toEqual(range(12).map((n) => `k${n}`))
    await spool.peek(5)
    await spool.ack(5)
    const afterPartialAck = segmentFiles(dir)
    expect(afterPartialAck.length).toBeLessThan(rolled.length)
    expect(afterPartialAck).toEqual(rolled.slice(rolled.length - afterPartialAck.length))
    await spool.close()

    const reopened = await openSpool({ dir, segmentBytes: 400 })
    expect(keys(await reopened.peek(100))).toEqual(range(7).map((n) => `k${n + 5}`))
    await reopened.ack(7)
    expect(segmentFiles(dir)).toHaveLength(1)
    await reopened.append([input(99)])
    expect(keys(await reopened.peek(100))).toEqual(['k99'])
    await reopened.close()
  })

  it('writes a group bigger than a segment across several segments, in order', async () => {
    const dir = tempDir()
    const spool = await openSpool({ dir, segmentBytes: 300 })
    await spool.append(range(10).map((n) => input(n)))
    expect(segmentFiles(dir).length).toBeGreaterThan(2)
    expect(keys(await spool.peek(100))).toEqual(range(10).map((n) => `k${n}`))
    await spool.close()
  })

  it('rejects calls after close', async () => {
    const spool: Spool = await openSpool({ dir: tempDir() })
    await spool.close()
    await spool.close()
    await expect(spool.append([input(0)])).rejects.toThrow('closed')
    await expect(spool.peek(1)).rejects.toThrow('closed')
  })
})
