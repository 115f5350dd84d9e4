/**
 * @module platform/kv/contract-coordination
 * The lock and semaphore half of the kv contract (see contract.ts), plus the helpers both halves
 * share. Declared inside `describeKvContract`; `kv` returns the suite's shared instance.
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../../test/wait-for.ts'
import type { Kv, Lease } from './port.ts'

/** A key no other test (or run) uses. */
export const uniqueKey = (label: string): string => `contract:${randomUUID()}:${label}`

/** Polling settings for observing the expiry of short-ttl keys and leases. */
export const soon = { timeoutMs: 5000, intervalMs: 10 } as const

/** Declares the lock contract: exclusivity, release and extend by the owner only, expiry takeover. */
export const describeLockContract = (kv: () => Kv): void => {
  describe('locks', () => {
    it('gives a lock to one holder at a time', async () => {
      const key = uniqueKey('lock')
      const locks = await Promise.all(Array.from({ length: 10 }, () => kv().tryLock(key, 60_000)))
      const held = locks.filter((lock) => lock !== null)
      expect(held).toHaveLength(1)
      expect(held[0]?.key).toBe(key)
      expect(await held[0]?.release()).toBe(true)
      const next = await kv().tryLock(key, 60_000)
      expect(next).not.toBeNull()
      expect(await next?.release()).toBe(true)
    })

    it('lets only the current owner release or extend a lock', async () => {
      const key = uniqueKey('takeover')
      const first = await kv().tryLock(key, 100)
      expect(first).not.toBeNull()
      const second = await waitFor(() => kv().tryLock(key, 60_000), { ...soon, what: 'takeover' })
      expect(await first?.release()).toBe(false)
      expect(await first?.extend(60_000)).toBe(false)
      expect(await kv().tryLock(key, 60_000)).toBeNull()
      expect(await second.release()).toBe(true)
      expect(await second.release()).toBe(false)
    })

    it('extends a held lock', async () => {
      const key = uniqueKey('extend')
      const lock = await kv().tryLock(key, 2000)
      expect(await lock?.extend(60_000)).toBe(true)
      expect(await kv().ttl(key)).toBeGreaterThan(50_000)
      expect(await lock?.release()).toBe(true)
      expect(await lock?.extend(60_000)).toBe(false)
    })
  })
}

/** Declares the semaphore contract: the limit holds, leases expire, waiting acquires get freed slots. */
export const describeSemaphoreContract = (kv: () => Kv): void => {
  describe('semaphores', () => {
    const releaseAll = (leases: (Lease | null)[]) =>
      Promise.all(leases.map((lease) => lease?.release()))

    it('never grants more than the limit to 30 concurrent acquirers', async () => {
      const name = uniqueKey('semaphore')
      const options = { limit: 5, leaseMs: 60_000 }
      const leases = await Promise.all(
        Array.from({ length: 30 }, () => kv().acquire(name, options)),
      )
      const granted = leases.filter((lease) => lease !== null)
      expect(granted).toHaveLength(5)
      expect(new Set(granted.map((lease) => lease.id)).size).toBe(5)
      expect(await releaseAll(granted)).toEqual([true, true, true, true, true])
      const again = await kv().acquire(name, options)
      expect(again).not.toBeNull()
      await again?.release()
    })

    it('keeps holders within the limit while 30 waiting acquirers take turns', async () => {
      const name = uniqueKey('turns')
      let active = 0
      let peak = 0
      const worker = async () => {
        const lease = await kv().acquire(name, { limit: 3, leaseMs: 60_000, waitMs: 20_000 })
        if (!lease) return false
        active += 1
        peak = Math.max(peak, active)
        await new Promise((resolve) => setTimeout(resolve, 5))
        active -= 1
        return lease.release()
      }
      const results = await Promise.all(Array.from({ length: 30 }, worker))
      expect(results.every(Boolean)).toBe(true)
      expect(peak).toBeGreaterThan(0)
      expect(peak).toBeLessThanOrEqual(3)
    })

    it('reclaims a lease whose holder never released it', async () => {
      const name = uniqueKey('reclaim')
      const stale = await kv().acquire(name, { limit: 1, leaseMs: 100 })
      expect(stale).not.toBeNull()
      const fresh = await waitFor(() => kv().acquire(name, { limit: 1, leaseMs: 60_000 }), {
        ...soon,
        what: 'lease expiry',
      })
      expect(await stale?.release()).toBe(false)
      expect(await kv().acquire(name, { limit: 1, leaseMs: 60_000 })).toBeNull()
      expect(await fresh.release()).toBe(true)
    })

    it('waits for a slot to free up when waitMs is given', async () => {
      const name = uniqueKey('wait')
      const options = { limit: 1, leaseMs: 60_000 }
      const holder = await kv().acquire(name, options)
      expect(holder).not.toBeNull()
      const waiting = kv().acquire(name, { ...options, waitMs: 20_000 })
      expect(await kv().acquire(name, options)).toBeNull()
      expect(await holder?.release()).toBe(true)
      const lease = await waiting
      expect(lease).not.toBeNull()
      await lease?.release()
    })

    it('gives up with null when no slot frees within waitMs', async () => {
      const name = uniqueKey('give-up')
      const holder = await kv().acquire(name, { limit: 1, leaseMs: 60_000 })
      const started = performance.now()
      const lease = await kv().acquire(name, { limit: 1, leaseMs: 60_000, waitMs: 150 })
      const elapsed = performance.now() - started
      expect(lease).toBeNull()
      expect(elapsed).toBeGreaterThanOrEqual(140)
      expect(elapsed).toBeLessThan(5000)
      await holder?.release()
    })

    it('counts each semaphore name separately', async () => {
      const options = { limit: 1, leaseMs: 60_000 }
      const leases = await Promise.all([
        kv().acquire(uniqueKey('left'), options),
        kv().acquire(uniqueKey('right'), options),
      ])
      expect(leases.every((lease) => lease !== null)).toBe(true)
      await releaseAll(leases)
    })

    it('rejects a limit that is not a positive integer', async () => {
      await expect(kv().acquire(uniqueKey('bad'), { limit: 0, leaseMs: 1000 })).rejects.toThrow(
        RangeError,
      )
    })
  })
}
