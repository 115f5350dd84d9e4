import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SpoolRecovery } from './index.ts'
import { openSpool } from './index.ts'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'callbridge-spool-recovery-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const input = (n: number) => ({ topic: 't', key: `k${n}`, value: `value-${n}`, headers: {} })
const keys = (records: readonly { key: string }[]) => records.map((r) => r.key)
const onlySegment = (dir: string) => {
  const [name, ...others] = readdirSync(dir).filter((file) => file.endsWith('.log'))
  expect(others).toEqual([])
  return join(dir, name as string)
}

/** A spool directory holding records k0..k(n-1) in one segment, and that segment's path. */
const spoolWith = async (n: number) => {
  const dir = tempDir()
  const spool = await openSpool({ dir })
  for (let i = 0; i < n; i++) await spool.append([input(i)])
  await spool.close()
  return { dir, segment: onlySegment(dir) }
}

const reopen = async (dir: string) => {
  const recoveries: SpoolRecovery[] = []
  const spool = await openSpool({ dir, onRecovery: (info) => recoveries.push(info) })
  return { spool, recoveries }
}

describe('spool recovery', () => {
  it('drops a record torn mid-write and keeps the ones before it', async () => {
    const { dir, segment } = await spoolWith(3)
    const size = statSync(segment).size
    truncateSync(segment, size - 5)
    const { spool, recoveries } = await reopen(dir)
    expect(keys(await spool.peek(10))).toEqual(['k0', 'k1'])
    expect(spool.stats().records).toBe(2)
    expect(recoveries).toHaveLength(1)
    expect(recoveries[0]).toMatchObject({ file: segment, reason: 'torn record' })
    await spool.close()
  })

  it('drops a last record whose bytes were flipped and truncates the file to the valid end', async () => {
    const { dir, segment } = await spoolWith(3)
    const bytes = readFileSync(segment)
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] as number) ^ 0xff
    writeFileSync(segment, bytes)
    const { spool, recoveries } = await reopen(dir)
    expect(keys(await spool.peek(10))).toEqual(['k0', 'k1'])
    expect(recoveries[0]).toMatchObject({ reason: 'CRC mismatch' })
    const recovery = recoveries[0] as SpoolRecovery
    expect(statSync(segment).size).toBe(recovery.offset)
    expect(recovery.droppedBytes).toBe(bytes.length - recovery.offset)
    await spool.close()
  })

  it('drops a torn frame header (only part of the length written)', async () => {
    const { dir, segment } = await spoolWith(2)
    writeFileSync(segment, Buffer.concat([readFileSync(segment), Buffer.from([7, 0])]))
    const { spool, recoveries } = await reopen(dir)
    expect(keys(await spool.peek(10))).toEqual(['k0', 'k1'])
    expect(recoveries).toHaveLength(1)
    await spool.close()
  })

  it('appends after a dropped tail so that the new records follow the valid ones', async () => {
    const { dir, segment } = await spoolWith(3)
    truncateSync(segment, statSync(segment).size - 1)
    const { spool } = await reopen(dir)
    await spool.append([input(7)])
    await spool.close()
    const { spool: again, recoveries } = await reopen(dir)
    expect(keys(await again.peek(10))).toEqual(['k0', 'k1', 'k7'])
    expect(recoveries).toEqual([])
    await again.close()
  })

  it('starts empty from a segment with nothing valid in it', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'spool-000000000001.log'), Buffer.alloc(100, 0xab))
    const { spool, recoveries } = await reopen(dir)
    expect(await spool.peek(10)).toEqual([])
    expect(spool.stats()).toEqual({ records: 0, bytes: 0, oldestSpooledAt: null })
    expect(recoveries).toHaveLength(1)
    await spool.append([input(1)])
    expect(keys(await spool.peek(10))).toEqual(['k1'])
    await spool.close()
  })

  it('replays from the oldest segment when the cursor file is unreadable, rather than skip', async () => {
    const dir = tempDir()
    const spool = await openSpool({ dir })
    await spool.append([input(0), input(1), input(2)])
    await spool.peek(1)
    await spool.ack(1)
    await spool.close()
    writeFileSync(join(dir, 'cursor.json'), '{"segm')
    const { spool: reopened, recoveries } = await reopen(dir)
    expect(keys(await reopened.peek(10))).toEqual(['k0', 'k1', 'k2'])
    expect(recoveries[0]?.reason).toMatch(/cursor/)
    await reopened.close()
  })
})
