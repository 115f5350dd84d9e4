import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Kv } from '../../platform/kv/port.ts'
import { createRedisKv } from '../../platform/kv/redis.ts'
import { deleteKeys } from '../../test/redis-keyspace.ts'
import { serviceAvailable, serviceUrl } from '../../test/services.ts'
import { closeAll, logins, replica, roundRobin, startSim, times } from './test-support.ts'

const available = await serviceAvailable('REDIS_URL')
const url = serviceUrl('REDIS_URL')
/** Every key this file writes starts with this, so the cleanup below finds them all. */
const keyPrefix = `test:rc:${randomUUID()}:`

const kvs: Kv[] = []
/** One Redis connection per replica, as separate processes would have. */
const redisKv = (): Kv => {
  const kv = createRedisKv({ url, keyPrefix })
  kvs.push(kv)
  return kv
}

afterEach(async () => {
  await closeAll()
  await Promise.all(kvs.splice(0).map((kv) => kv.close()))
})

describe.skipIf(!available)('RingCentral client on Redis', () => {
  it('shares one token between two replicas: one login, one refresh after a 401', async () => {
    const rc = await startSim({ rateLimits: false })
    // 40 calls plus the 401s of those in flight when the tokens die: above the Light default.
    const options = { budgets: { Light: 1_000 } }
    const a = replica(rc, redisKv(), options)
    const b = replica(rc, redisKv(), options)

    await Promise.all([
      ...times(10, () => a.listSubscriptions()),
      ...times(10, () => b.listSubscriptions()),
    ])
    expect(rc.sim.stats().requests.Auth).toBe(1)

    rc.sim.expireTokens()
    await Promise.all([
      ...times(10, () => a.listSubscriptions()),
      ...times(10, () => b.listSubscriptions()),
    ])

    expect(logins(rc)).toBe(1)
    expect(rc.sim.stats().refreshes).toBe(1)
  })

  it('shares the Heavy budget between three replicas: no 429', async () => {
    const rc = await startSim({ rateLimits: { Heavy: 10, windowS: 0.5, penaltyS: 5 } })
    const options = { budgets: { Heavy: 9 }, budgetWindowMs: 500 }
    const replicas = [0, 1, 2].map(() => replica(rc, redisKv(), options))

    await Promise.all(times(30, (i) => roundRobin(replicas, i).callLogByTelephonySession('s-none')))

    expect(rc.sim.stats().served429).toBe(0)
    expect(rc.sim.stats().requests.Heavy).toBe(30)
  })

  afterAll(() => deleteKeys(url, keyPrefix))
})
