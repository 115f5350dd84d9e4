import { describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import type { Kv } from '../../platform/kv/port.ts'
import { createDedup } from './dedup.ts'

const options = { windowMs: 60_000, pendingMs: 2_000, pollMs: 1 }

describe('dedup', () => {
  it('claims a new key once and reports later copies as duplicates after commit', async () => {
    const dedup = createDedup({ kv: createMemoryKv(), ...options })
    const first = await dedup.claim('rc:1')
    expect(first.status).toBe('claimed')
    if (first.status !== 'claimed') return
    await first.commit()
    expect((await dedup.claim('rc:1')).status).toBe('duplicate')
    expect((await dedup.claim('rc:2')).status).toBe('claimed')
  })

  it('makes an in-flight duplicate wait for the first copy instead of publishing twice', async () => {
    const dedup = createDedup({ kv: createMemoryKv(), ...options })
    const first = await dedup.claim('rc:1')
    if (first.status !== 'claimed') throw new Error('expected a claim')
    const second = dedup.claim('rc:1')
    await first.commit()
    expect((await second).status).toBe('duplicate')
  })

  it('lets the waiting copy claim the key when the first copy failed and released it', async () => {
    const dedup = createDedup({ kv: createMemoryKv(), ...options })
    const first = await dedup.claim('rc:1')
    if (first.status !== 'claimed') throw new Error('expected a claim')
    const second = dedup.claim('rc:1')
    await first.release()
    expect((await second).status).toBe('claimed')
  })

  it('gives exactly one claim to 50 concurrent copies', async () => {
    const dedup = createDedup({ kv: createMemoryKv(), ...options })
    const claims = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const claim = await dedup.claim('rc:same')
        if (claim.status === 'claimed') await claim.commit()
        return claim.status
      }),
    )
    expect(claims.filter((s) => s === 'claimed')).toHaveLength(1)
    expect(claims.filter((s) => s === 'duplicate')).toHaveLength(49)
  })

  it('claims and commits concurrent events in one kv call each, not one per event', async () => {
    const kv = createMemoryKv()
    const calls = { claims: 0, commits: 0 }
    const counting: Kv = {
      ...kv,
      setManyIfAbsent: (keys, value, ttlMs) => {
        calls.claims += 1
        return kv.setManyIfAbsent(keys, value, ttlMs)
      },
      setMany: (keys, value, ttlMs) => {
        calls.commits += 1
        return kv.setMany(keys, value, ttlMs)
      },
    }
    const dedup = createDedup({ kv: counting, ...options })
    const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => dedup.claim(`rc:${i}`)))
    await Promise.all(claims.map((c) => (c.status === 'claimed' ? c.commit() : undefined)))
    expect(claims.every((c) => c.status === 'claimed')).toBe(true)
    expect(calls).toEqual({ claims: 1, commits: 1 })
    expect((await dedup.claim('rc:7')).status).toBe('duplicate')
  })

  it('fails open when the kv store is unavailable', async () => {
    const broken = createMemoryKv()
    const failing: Kv = {
      ...broken,
      setIfAbsent: () => Promise.reject(new Error('connection refused')),
      setManyIfAbsent: () => Promise.reject(new Error('connection refused')),
    }
    const claim = await createDedup({ kv: failing, ...options }).claim('rc:1')
    expect(claim.status).toBe('fail-open')
  })
})
