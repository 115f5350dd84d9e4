import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Kv } from '../../platform/kv/port.ts'
import { createRedisKv } from '../../platform/kv/redis.ts'
import { serviceAvailable, serviceUrl } from '../../test/services.ts'
import { startZohoHarness, type ZohoHarness } from './testing.ts'

const available = await serviceAvailable('REDIS_URL')
const url = serviceUrl('REDIS_URL')

describe.skipIf(!available)('zoho client on Redis (two replicas)', () => {
  /** Every key this file writes starts with this, so the cleanup below finds them all. */
  const keyPrefix = `test:zoho:${randomUUID()}:`
  let harness: ZohoHarness | undefined
  const kvs: Kv[] = []
  /** A replica's kv: its own Redis connection, the shared key space. */
  const replicaKv = () => {
    const kv = createRedisKv({ url, keyPrefix })
    kvs.push(kv)
    return kv
  }

  afterEach(async () => {
    await harness?.close()
    harness = undefined
    await Promise.all(kvs.splice(0).map((kv) => kv.close()))
  })

  afterAll(async () => {
    const redis = new Redis(url)
    try {
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500)
        if (keys.length > 0) await redis.del(...keys)
        cursor = next
      } while (cursor !== '0')
    } finally {
      await redis.quit()
    }
  })

  it('fetches one access token for two replicas making 10 concurrent calls each, stored sealed', async () => {
    harness = await startZohoHarness()
    const [one, two] = [harness.client({ kv: replicaKv() }), harness.client({ kv: replicaKv() })]
    await Promise.all(
      [one, two].flatMap((client) => Array.from({ length: 10 }, () => client.currentUser())),
    )
    expect(harness.sim.stats().tokenRequests).toBe(1)
    const redis = new Redis(url)
    try {
      const [, keys] = await redis.scan(
        '0',
        'MATCH',
        `${keyPrefix}zoho:token:*:access`,
        'COUNT',
        500,
      )
      expect(keys).toHaveLength(1)
      const stored = await redis.get(keys[0] ?? '')
      const [token] = harness.sim.state.liveAccessTokens()
      expect(stored).not.toContain(token)
    } finally {
      await redis.quit()
    }
  })

  it('keeps two replicas x 20 concurrent calls within a concurrency of 10 through the Redis semaphore', async () => {
    harness = await startZohoHarness({ latencyMs: 50, concurrencyLimit: 10 })
    const clients = [harness.client({ kv: replicaKv() }), harness.client({ kv: replicaKv() })]
    const users = await Promise.all(
      clients.flatMap((client) => Array.from({ length: 20 }, () => client.currentUser())),
    )
    expect(users).toHaveLength(40)
    const stats = harness.sim.stats()
    expect(stats.served429).toBe(0)
    expect(stats.peakConcurrency).toBeLessThanOrEqual(10)
    expect(stats.peakConcurrency).toBeGreaterThanOrEqual(5)
    expect(stats.requests).toBe(40)
  })
})
