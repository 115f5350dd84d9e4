/**
 * @module platform/kv/contract
 * The behaviour every {@link Kv} adapter must show, as a vitest suite each adapter's test file
 * runs (memory.test.ts, redis.int.test.ts). Keys are random per test so runs never interfere;
 * expiry is observed by polling with short ttls, never by sleeping and asserting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../test/wait-for.ts'
import {
  describeLockContract,
  describeSemaphoreContract,
  soon,
  uniqueKey as unique,
} from './contract-coordination.ts'
import type { Kv } from './port.ts'

/**
 * Declares the kv contract suite for one adapter. `makeKv` is called once for the shared instance
 * (closed after the suite) and once more by the close test.
 */
export const describeKvContract = (name: string, makeKv: () => Promise<Kv>): void => {
  describe(`kv contract: ${name}`, () => {
    let kv: Kv
    beforeAll(async () => {
      kv = await makeKv()
    })
    afterAll(async () => {
      await kv?.close()
    })

    describe('keys', () => {
      it('sets a key only when it is absent', async () => {
        const key = unique('once')
        expect(await kv.setIfAbsent(key, 'first', 60_000)).toBe(true)
        expect(await kv.setIfAbsent(key, 'second', 60_000)).toBe(false)
        expect(await kv.get(key)).toBe('first')
      })

      it('sets many keys in one call, each only when it is absent, and says which', async () => {
        const [a, b, c] = [unique('many-a'), unique('many-b'), unique('many-c')]
        await kv.set(b, 'there already', 60_000)
        expect(await kv.setManyIfAbsent([a, b, c, a], 'pending', 60_000)).toEqual([
          true,
          false,
          true,
          false,
        ])
        expect(await kv.get(a)).toBe('pending')
        expect(await kv.get(b)).toBe('there already')
        expect(await kv.setManyIfAbsent([], 'pending', 60_000)).toEqual([])
      })

      it('sets many keys with one value and expiry in one call', async () => {
        const [a, b] = [unique('setmany-a'), unique('setmany-b')]
        await kv.set(a, 'pending', 60_000)
        await kv.setMany([a, b], 'done', 100)
        expect(await kv.get(a)).toBe('done')
        expect(await kv.get(b)).toBe('done')
        await waitFor(async () => (await kv.get(a)) === null && (await kv.get(b)) === null, {
          ...soon,
          what: 'expiry of both',
        })
        await kv.setMany([], 'done', 100)
      })

      it('lets setIfAbsent succeed again once the key has expired', async () => {
        const key = unique('window')
        expect(await kv.setIfAbsent(key, 'first', 100)).toBe(true)
        await waitFor(() => kv.setIfAbsent(key, 'second', 60_000), { ...soon, what: 'expiry' })
        expect(await kv.get(key)).toBe('second')
      })

      it('expires a key after its ttl', async () => {
        const key = unique('expiring')
        await kv.set(key, 'value', 100)
        await waitFor(async () => (await kv.get(key)) === null, { ...soon, what: 'expiry' })
        expect(await kv.ttl(key)).toBeNull()
        expect(await kv.delete(key)).toBe(false)
      })

      it('stores, reads and deletes values', async () => {
        const key = unique('value')
        expect(await kv.get(key)).toBeNull()
        await kv.set(key, 'one')
        await kv.set(key, 'two')
        expect(await kv.get(key)).toBe('two')
        expect(await kv.delete(key)).toBe(true)
        expect(await kv.delete(key)).toBe(false)
        expect(await kv.get(key)).toBeNull()
      })

      it('reports the remaining ttl, and none for absent or persistent keys', async () => {
        const expiring = unique('expiring')
        const persistent = unique('persistent')
        await kv.set(expiring, 'value', 60_000)
        await kv.set(persistent, 'value')
        const ttl = await kv.ttl(expiring)
        expect(ttl).toBeGreaterThan(50_000)
        expect(ttl).toBeLessThanOrEqual(60_000)
        expect(await kv.ttl(persistent)).toBeNull()
        expect(await kv.ttl(unique('absent'))).toBeNull()
        await kv.delete(persistent)
      })

      it('clears the expiry when a key is set again without ttl', async () => {
        const key = unique('persist')
        await kv.set(key, 'value', 60_000)
        await kv.set(key, 'value')
        expect(await kv.ttl(key)).toBeNull()
        await kv.delete(key)
      })

      it('rejects a ttl that is not a positive number', async () => {
        const key = unique('bad-ttl')
        await expect(kv.set(key, 'value', 0)).rejects.toThrow(RangeError)
        await expect(kv.setIfAbsent(key, 'value', -5)).rejects.toThrow(RangeError)
        await expect(kv.tryLock(key, Number.NaN)).rejects.toThrow(RangeError)
        expect(await kv.get(key)).toBeNull()
      })
    })

    describe('counters', () => {
      it('increments atomically under 50 concurrent calls', async () => {
        const key = unique('counter')
        const results = await Promise.all(Array.from({ length: 50 }, () => kv.increment(key)))
        expect([...results].sort((a, b) => a - b)).toEqual(
          Array.from({ length: 50 }, (_, i) => i + 1),
        )
        expect(await kv.get(key)).toBe('50')
        await kv.delete(key)
      })

      it('increments by the given step, starting from zero', async () => {
        const key = unique('step')
        expect(await kv.increment(key, 5)).toBe(5)
        expect(await kv.increment(key, -2)).toBe(3)
        expect(await kv.ttl(key)).toBeNull()
        await kv.delete(key)
      })

      it('sets the counter expiry when it creates the counter, and only then', async () => {
        const key = unique('window-counter')
        expect(await kv.increment(key, 1, 60_000)).toBe(1)
        expect(await kv.increment(key, 1, 600_000)).toBe(2)
        expect(await kv.increment(key)).toBe(3)
        const ttl = await kv.ttl(key)
        expect(ttl).toBeGreaterThan(50_000)
        expect(ttl).toBeLessThanOrEqual(60_000)
      })

      it('starts a fresh count once the counter has expired', async () => {
        const key = unique('fixed-window')
        expect(await kv.increment(key, 1, 100)).toBe(1)
        await waitFor(async () => (await kv.get(key)) === null, { ...soon, what: 'expiry' })
        expect(await kv.increment(key, 1, 60_000)).toBe(1)
      })

      it('rejects incrementing a value that is not an integer', async () => {
        const key = unique('not-a-number')
        await kv.set(key, 'abc', 60_000)
        await expect(kv.increment(key)).rejects.toThrow()
        await expect(kv.increment(key, 1.5)).rejects.toThrow(RangeError)
        expect(await kv.get(key)).toBe('abc')
      })
    })

    describeLockContract(() => kv)
    describeSemaphoreContract(() => kv)

    describe('lifecycle', () => {
      it('reports itself healthy', async () => {
        const status = await kv.health.check()
        expect(status.ok).toBe(true)
        expect(kv.health.name).not.toBe('')
      })

      it('rejects calls and reports unhealthy once closed', async () => {
        const closing = await makeKv()
        await closing.set(unique('before-close'), 'value', 60_000)
        await closing.close()
        await expect(closing.get(unique('after-close'))).rejects.toThrow()
        expect((await closing.health.check()).ok).toBe(false)
        await closing.close()
      })
    })
  })
}
