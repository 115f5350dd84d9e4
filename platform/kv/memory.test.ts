import { describe, expect, it } from 'vitest'
import { waitFor } from '../../test/wait-for.ts'
import { describeKvContract } from './contract.ts'
import { createMemoryKv } from './memory.ts'

describeKvContract('memory', async () => createMemoryKv())

describe('memory kv with an injected clock', () => {
  const manualClock = (start = 1_000_000) => {
    let time = start
    return {
      now: () => time,
      advance: (ms: number) => {
        time += ms
      },
    }
  }

  it('expires keys exactly when the injected clock reaches their expiry', async () => {
    const clock = manualClock()
    const kv = createMemoryKv({ now: clock.now })
    await kv.set('key', 'value', 1000)
    clock.advance(999)
    expect(await kv.get('key')).toBe('value')
    expect(await kv.ttl('key')).toBe(1)
    clock.advance(1)
    expect(await kv.get('key')).toBeNull()
    expect(await kv.setIfAbsent('key', 'again', 1000)).toBe(true)
    await kv.close()
  })

  it('hands over locks and semaphore slots when the injected clock passes their expiry', async () => {
    const clock = manualClock()
    const kv = createMemoryKv({ now: clock.now })
    const lock = await kv.tryLock('lock', 500)
    const lease = await kv.acquire('slots', { limit: 1, leaseMs: 500 })
    expect(await kv.tryLock('lock', 500)).toBeNull()
    expect(await kv.acquire('slots', { limit: 1, leaseMs: 500 })).toBeNull()
    clock.advance(500)
    const nextLock = await kv.tryLock('lock', 500)
    const nextLease = await kv.acquire('slots', { limit: 1, leaseMs: 500 })
    expect(nextLock).not.toBeNull()
    expect(nextLease).not.toBeNull()
    expect(await lock?.release()).toBe(false)
    expect(await lease?.release()).toBe(false)
    expect(await nextLock?.release()).toBe(true)
    expect(await nextLease?.release()).toBe(true)
    await kv.close()
  })

  it('keeps a counter window fixed from its creation on the injected clock', async () => {
    const clock = manualClock()
    const kv = createMemoryKv({ now: clock.now })
    expect(await kv.increment('count', 1, 1000)).toBe(1)
    clock.advance(600)
    expect(await kv.increment('count', 1, 1000)).toBe(2)
    expect(await kv.ttl('count')).toBe(400)
    clock.advance(400)
    expect(await kv.increment('count', 1, 1000)).toBe(1)
    await kv.close()
  })

  it('sweeps expired keys out without anyone reading them', async () => {
    const clock = manualClock()
    const kv = createMemoryKv({ now: clock.now, sweepIntervalMs: 10 })
    const keyCount = async () => {
      const { keys } = (await kv.health.check()).details ?? {}
      return keys
    }
    await kv.set('short', 'value', 100)
    await kv.set('long', 'value', 10_000)
    expect(await keyCount()).toBe(2)
    clock.advance(100)
    await waitFor(async () => (await keyCount()) === 1, { timeoutMs: 2000, what: 'the sweep' })
    await kv.close()
  })
})
