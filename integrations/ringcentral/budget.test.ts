import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { waitFor } from '../../test/wait-for.ts'
import { closeAll, recordingFetch, replica, roundRobin, startSim, times } from './test-support.ts'

afterEach(closeAll)

/** One Heavy request: a call-log lookup of a session that does not exist (one page, empty). */
const heavyCall = (client: ReturnType<typeof replica>) =>
  client.callLogByTelephonySession('s-does-not-exist')

describe('shared request budgets', () => {
  it('keeps three replicas firing 40 Heavy requests together free of 429s', async () => {
    // RingCentral's Heavy limit of 10 per window, with the window shortened to 0.5 s on both
    // sides so the test takes ~2.5 s. A 429 (5 s penalty here) must never happen.
    const rc = await startSim({ rateLimits: { Heavy: 10, windowS: 0.5, penaltyS: 5 } })
    const kv = createMemoryKv()
    const options = { budgets: { Heavy: 9 }, budgetWindowMs: 500 }
    const replicas = [replica(rc, kv, options), replica(rc, kv, options), replica(rc, kv, options)]

    const results = await Promise.all(times(40, (i) => heavyCall(roundRobin(replicas, i))))

    expect(results).toHaveLength(40)
    expect(rc.sim.stats().served429).toBe(0)
    expect(rc.sim.stats().requests.Heavy).toBe(40)
  })

  it('waits out Retry-After on every replica when RingCentral answers 429 anyway', async () => {
    // Budgets above the real limit (e.g. a limit lowered for the app): the client meets a 429.
    const rc = await startSim({ rateLimits: { Heavy: 2, windowS: 1, penaltyS: 1 } })
    const kv = createMemoryKv()
    const probe = recordingFetch()
    const a = replica(rc, kv, { budgets: { Heavy: 100 }, fetch: probe.fetch })
    const b = replica(rc, kv, { budgets: { Heavy: 100 } })
    await heavyCall(a)
    await heavyCall(a)

    const started = performance.now()
    const third = heavyCall(a)
    await waitFor(() => rc.sim.stats().served429 === 1, { what: 'the first 429' })
    const fromOtherReplica = heavyCall(b)
    await Promise.all([third, fromOtherReplica])

    // Retry-After: 1 was honoured, and nobody touched the group during the penalty (a request
    // then would have restarted it and been answered 429 too).
    expect(performance.now() - started).toBeGreaterThanOrEqual(950)
    expect(rc.sim.stats().served429).toBe(1)
    expect(rc.sim.stats().requests.Heavy).toBe(5)
    expect(probe.statuses.filter((status) => status === 429)).toHaveLength(1)
  })

  it('counts token requests in the shared Auth budget, so re-logins never hit a 429', async () => {
    // Auth limit 5 per window (window shortened to 1 s on both sides).
    const rc = await startSim({ rateLimits: { Auth: 5, windowS: 1, penaltyS: 5 } })
    const kv = createMemoryKv()
    const a = replica(rc, kv, { budgetWindowMs: 1_000 })
    await a.listSubscriptions()

    // Each round costs two token requests: the refresh (rejected) and a JWT login.
    for (let round = 0; round < 3; round++) {
      rc.sim.expireTokens({ refresh: true })
      await a.listSubscriptions()
    }

    expect(rc.sim.stats().requests.Auth).toBe(7)
    expect(rc.sim.stats().served429).toBe(0)
  })
})
