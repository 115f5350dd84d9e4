import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteKeys } from '../../test/redis-keyspace.ts'
import { serviceAvailable, serviceUrl } from '../../test/services.ts'
import { describeKvContract } from './contract.ts'
import { createRedisKv } from './redis.ts'

const available = await serviceAvailable('REDIS_URL')
const url = serviceUrl('REDIS_URL')
/** Every key this file writes starts with this, so the cleanup below finds them all. */
const keyPrefix = `test:kv:${randomUUID()}:`

describe.skipIf(!available)('redis kv', () => {
  describeKvContract('redis', async () => createRedisKv({ url, keyPrefix }))

  afterAll(() => deleteKeys(url, keyPrefix))
})

describe('redis kv without a reachable redis', () => {
  it('fails calls fast with an error and reports unhealthy', async () => {
    const kv = createRedisKv({ url: 'redis://127.0.0.1:1' })
    try {
      const started = performance.now()
      await expect(kv.setIfAbsent('dedup:test', 'seen', 60_000)).rejects.toThrow(
        /redis kv setIfAbsent failed/,
      )
      expect(performance.now() - started).toBeLessThan(2000)
      const status = await kv.health.check()
      expect(status.ok).toBe(false)
      expect(status.latencyMs).toBeLessThan(2000)
    } finally {
      await kv.close()
    }
  })
})
