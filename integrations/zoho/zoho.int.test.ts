import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { useRedisKeyspace } from '../../test/redis-keyspace.ts'
import { serviceAvailable, serviceUrl } from '../../test/services.ts'
import { useZohoHarness } from './harness-hook.ts'

const available = await serviceAvailable('REDIS_URL')
const url = serviceUrl('REDIS_URL')

describe.skipIf(!available)('zoho client on Redis (two replicas)', () => {
  const { keyPrefix, replicaKv } = useRedisKeyspace(url, 'zoho')
  const startHarness = useZohoHarness()

  it('fetches one access token for two replicas making 10 concurrent calls each, stored sealed', async () => {
    const harness = await startHarness()
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
    const harness = await startHarness({ latencyMs: 50, concurrencyLimit: 10 })
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
