import { describe, expect, it } from 'vitest'
import { manualClock } from '../../simulators/zoho/testing.ts'
import { ZohoApiError } from './errors.ts'
import { useZohoHarness } from './harness-hook.ts'

const tenCalls = <T>(call: () => Promise<T>): Promise<T>[] => Array.from({ length: 10 }, call)

describe('shared access token', () => {
  const startHarness = useZohoHarness()

  it('is fetched once for two client instances making 10 concurrent calls each', async () => {
    const harness = await startHarness()
    const [one, two] = [harness.client(), harness.client()]
    const users = await Promise.all([
      ...tenCalls(() => one.currentUser()),
      ...tenCalls(() => two.currentUser()),
    ])
    expect(users.every((user) => user.id === users[0]?.id)).toBe(true)
    expect(harness.sim.stats().tokenRequests).toBe(1)
    expect(harness.sim.stats().requests).toBe(20)
  })

  it('uses the api_domain of the token response as the API base', async () => {
    const harness = await startHarness()
    const requested: string[] = []
    const client = harness.client({
      fetch: (input, init) => {
        requested.push(String(input))
        return fetch(input, init)
      },
    })
    await client.currentUser()
    expect(requested).toEqual([
      `${harness.url}/oauth/v2/token`,
      `${harness.url}/crm/v8/users?type=CurrentUser&page=1&per_page=200`,
    ])
  })

  it('is replaced once for every replica when Zoho stops accepting it, and each call is sent again', async () => {
    const harness = await startHarness()
    const [one, two] = [harness.client(), harness.client()]
    await Promise.all([one.currentUser(), two.currentUser()])
    expect(harness.sim.stats().tokenRequests).toBe(1)
    await harness.control('/_sim/expire-tokens')
    const users = await Promise.all([
      ...tenCalls(() => one.currentUser()),
      ...tenCalls(() => two.currentUser()),
    ])
    expect(users).toHaveLength(20)
    expect(harness.sim.stats().tokenRequests).toBe(2)
    expect(harness.sim.state.liveAccessTokens()).toHaveLength(1)
  })

  it('never asks Zoho for more tokens than the 10-minute budget, however often tokens expire', async () => {
    const clock = manualClock()
    const harness = await startHarness({ now: clock.now, accessTokenTtlS: 30 }, { now: clock.now })
    const tokenRequestTimes: number[] = []
    const client = harness.client({
      tokenWaitMs: 0,
      fetch: (input, init) => {
        if (String(input).endsWith('/oauth/v2/token')) tokenRequestTimes.push(clock.now())
        return fetch(input, init)
      },
    })
    const outcomes: string[] = []
    // 40 calls, 31 s apart: every call finds its token expired (20 minutes in all).
    for (let i = 0; i < 40; i += 1) {
      clock.advance(31_000)
      const outcome = await client.currentUser().then(
        () => 'ok',
        (error: unknown) => (error instanceof ZohoApiError ? error.code : String(error)),
      )
      outcomes.push(outcome)
    }
    for (let i = 0; i + 10 < tokenRequestTimes.length; i += 1) {
      const eleventh = tokenRequestTimes[i + 10] ?? 0
      expect(eleventh - (tokenRequestTimes[i] ?? 0)).toBeGreaterThanOrEqual(10 * 60_000)
    }
    expect(harness.sim.stats().tokenRequests).toBe(tokenRequestTimes.length)
    expect(new Set(outcomes)).toEqual(new Set(['ok', 'TOKEN_BUDGET_EXHAUSTED']))
    expect(outcomes.filter((outcome) => outcome === 'ok').length).toBeGreaterThanOrEqual(20)
  })

  it('reports the wait when the budget is used up, and serves again once the window has passed', async () => {
    const clock = manualClock()
    const harness = await startHarness({ now: clock.now, accessTokenTtlS: 30 }, { now: clock.now })
    const client = harness.client({ tokenWaitMs: 0, tokenRequestsPer10Min: 2 })
    for (let i = 0; i < 2; i += 1) {
      clock.advance(31_000)
      await client.currentUser()
    }
    clock.advance(31_000)
    const refused = await client.currentUser().catch((error: unknown) => error)
    expect(refused).toMatchObject({ code: 'TOKEN_BUDGET_EXHAUSTED' })
    expect((refused as ZohoApiError).retryAfterMs).toBeGreaterThan(500_000)
    clock.advance((refused as ZohoApiError).retryAfterMs ?? 0)
    await expect(client.currentUser()).resolves.toMatchObject({ id: expect.any(String) })
    expect(harness.sim.stats().tokenRequests).toBe(3)
  })

  it('asks once with a refresh token Zoho rejects, then refuses locally instead of hammering', async () => {
    const harness = await startHarness()
    const client = harness.client({ refreshToken: 'revoked-refresh-token' })
    for (let i = 0; i < 5; i += 1) {
      await expect(client.currentUser()).rejects.toMatchObject({ code: 'invalid_code' })
    }
    expect(harness.sim.stats().tokenRequests).toBe(1)
    expect(harness.sim.stats().requests).toBe(0)
  })

  it('never puts the client secret or refresh token in an error message', async () => {
    const harness = await startHarness()
    const client = harness.client({ clientSecret: 'a-very-secret-value-123' })
    const error = await client.currentUser().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ZohoApiError)
    expect(String((error as Error).message)).not.toMatch(/a-very-secret-value-123|sim-zoho-refresh/)
  })
})

describe('zoho-token health check', () => {
  const startHarness = useZohoHarness()

  it('is ok with the token it finds, costs one token request at most, and is cached', async () => {
    const harness = await startHarness()
    const client = harness.client()
    const first = await client.health.check()
    expect(client.health.name).toBe('zoho-token')
    expect(first).toMatchObject({ ok: true, details: { apiDomain: harness.url } })
    for (let i = 0; i < 5; i += 1) expect(await client.health.check()).toBe(first)
    await harness.client().health.check()
    expect(harness.sim.stats().tokenRequests).toBe(1)
    expect(harness.sim.stats().requests).toBe(0)
  })

  it('is not ok when the credentials are refused, without spending more of the budget', async () => {
    const harness = await startHarness()
    const status = await harness.client({ clientId: 'wrong-client' }).health.check()
    expect(status).toMatchObject({ ok: false, error: expect.stringContaining('invalid_client') })
    const again = await harness.client({ clientId: 'wrong-client' }).health.check()
    expect(again).toMatchObject({ ok: false, error: expect.stringContaining('invalid_client') })
    expect(harness.sim.stats().tokenRequests).toBe(1)
  })
})
