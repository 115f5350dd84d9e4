import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { waitFor } from '../../test/wait-for.ts'
import { RingCentralApiError, RingCentralUnavailableError } from './errors.ts'
import { closeAll, logins, recordingFetch, replica, startSim, times } from './test-support.ts'

afterEach(closeAll)

describe('shared RingCentral token', () => {
  it('logs in once for two replicas that start 10 calls each at the same moment', async () => {
    const rc = await startSim({ rateLimits: false })
    const kv = createMemoryKv()
    const a = replica(rc, kv)
    const b = replica(rc, kv)

    await Promise.all([
      ...times(10, () => a.listSubscriptions()),
      ...times(10, () => b.listSubscriptions()),
    ])

    expect(rc.sim.stats().requests.Auth).toBe(1)
    expect(rc.sim.stats().tokensIssued).toBe(1)
    expect(logins(rc)).toBe(1)
  })

  it('refreshes once, ahead of expiry, while both replicas keep using the valid token', async () => {
    const rc = await startSim({ rateLimits: false, accessTokenTtlS: 3600 })
    const kv = createMemoryKv()
    const now = () => rc.sim.now()
    const probe = recordingFetch()
    const a = replica(rc, kv, { now, fetch: probe.fetch })
    const b = replica(rc, kv, { now, fetch: probe.fetch })
    await a.listSubscriptions()

    rc.sim.advance(3600_000 - 4 * 60_000) // 4 min left: inside the 5 min refresh margin
    await Promise.all([
      ...times(10, () => a.listSubscriptions()),
      ...times(10, () => b.listSubscriptions()),
    ])
    await waitFor(() => rc.sim.stats().refreshes === 1, { what: 'one proactive refresh' })
    await Promise.all(times(5, () => b.listSubscriptions()))

    expect(rc.sim.stats().refreshes).toBe(1)
    expect(logins(rc)).toBe(1)
    expect(probe.statuses).not.toContain(401)
  })

  it('keeps working across many short-lived tokens without a 401 or a second login', async () => {
    const rc = await startSim({ rateLimits: false, accessTokenTtlS: 1 })
    const kv = createMemoryKv()
    const probe = recordingFetch()
    // A refresh every ~0.7 s and a few calls every 50 ms need more than the default budgets.
    const options = { fetch: probe.fetch, budgets: { Auth: 1_000, Light: 10_000 } }
    const a = replica(rc, kv, options)
    const b = replica(rc, kv, options)

    await waitFor(
      async () => {
        await Promise.all([a.listSubscriptions(), b.listSubscriptions()])
        return rc.sim.stats().refreshes >= 3
      },
      { what: 'three refreshes', intervalMs: 50 },
    )

    expect(logins(rc)).toBe(1)
    expect(probe.statuses).not.toContain(401)
  })

  it('recovers with one refresh (same session) when RingCentral kills the access tokens', async () => {
    const rc = await startSim({ rateLimits: false })
    const kv = createMemoryKv()
    const a = replica(rc, kv)
    const b = replica(rc, kv)
    await a.listSubscriptions()

    rc.sim.expireTokens()
    await Promise.all([
      ...times(5, () => a.listSubscriptions()),
      ...times(5, () => b.listSubscriptions()),
    ])

    expect(rc.sim.stats().refreshes).toBe(1)
    expect(logins(rc)).toBe(1)
  })

  it('logs in again with the JWT, once, when the refresh token is dead too', async () => {
    const rc = await startSim({ rateLimits: false })
    const kv = createMemoryKv()
    const a = replica(rc, kv)
    const b = replica(rc, kv)
    await a.listSubscriptions()

    rc.sim.expireTokens({ refresh: true })
    await Promise.all([
      ...times(5, () => a.listSubscriptions()),
      ...times(5, () => b.listSubscriptions()),
    ])

    expect(logins(rc)).toBe(2)
    expect(rc.sim.state.sessions.filter((s) => s.live)).toHaveLength(1)
  })

  it('stops asking the token endpoint once the JWT was rejected, and never echoes it', async () => {
    const rc = await startSim({ rateLimits: false })
    const kv = createMemoryKv()
    const jwt = 'not-the-right-jwt-credential'
    const a = replica(rc, kv, { jwt })
    const b = replica(rc, kv, { jwt })

    const first = await a.listSubscriptions().catch((error: unknown) => error)
    expect(first).toBeInstanceOf(RingCentralApiError)
    expect(first).toMatchObject({ status: 400, errorCode: 'OAU-140' })
    expect(String(first)).not.toContain(jwt)
    await expect(b.listSubscriptions()).rejects.toBeInstanceOf(RingCentralUnavailableError)

    expect(rc.sim.stats().requests.Auth).toBe(1)
  })
})

describe('ringcentral-token health check', () => {
  it('is ok once a token exists, and answers from its cache without new token requests', async () => {
    const rc = await startSim({ rateLimits: false })
    const kv = createMemoryKv()
    const a = replica(rc, kv)
    const b = replica(rc, kv)

    const first = await a.health.check()
    expect(first).toMatchObject({ ok: true, details: { source: 'obtained', grant: 'jwt' } })
    expect(await b.health.check()).toMatchObject({ ok: true, details: { source: 'kv' } })
    await Promise.all(times(5, () => a.health.check()))

    expect(a.health.name).toBe('ringcentral-token')
    expect(rc.sim.stats().requests.Auth).toBe(1)
  })

  it('is not ok when no token can be obtained', async () => {
    const rc = await startSim({ rateLimits: false })
    const client = replica(rc, createMemoryKv(), { clientSecret: 'wrong-client-secret' })

    const status = await client.health.check()

    expect(status.ok).toBe(false)
    if (!status.ok) expect(status.error).not.toContain('wrong-client-secret')
  })
})
