import { describe, expect, it } from 'vitest'
import { createZohoSimulator } from './app.ts'
import {
  crmClient,
  grantAccessToken,
  manualClock,
  refreshGrantQuery,
  simCredentials,
  type ZohoResponse,
} from './testing.ts'

const tokenRequest = (
  sim: ReturnType<typeof createZohoSimulator>,
  init: RequestInit = {},
  query = '',
) =>
  sim.app.request(`http://zoho.test/oauth/v2/token${query}`, {
    method: 'POST',
    ...init,
  }) as Promise<ZohoResponse>

const grantFields = {
  client_id: simCredentials.clientId,
  client_secret: simCredentials.clientSecret,
  grant_type: 'refresh_token',
  refresh_token: simCredentials.refreshToken,
}

describe('POST /oauth/v2/token', () => {
  it('issues a Bearer token for an hour with the simulator as api_domain, for a grant in the query string', async () => {
    const sim = createZohoSimulator()
    sim.setBaseUrl('http://127.0.0.1:4010/')
    const res = await tokenRequest(sim, {}, `?${refreshGrantQuery()}`)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toEqual({
      access_token: expect.stringMatching(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/),
      api_domain: 'http://127.0.0.1:4010',
      token_type: 'Bearer',
      expires_in: 3600,
    })
    expect(sim.stats().tokenRequests).toBe(1)
  })

  it('accepts the grant as a multipart form (the SDK) and as an urlencoded body', async () => {
    const sim = createZohoSimulator()
    const form = new FormData()
    for (const [key, value] of Object.entries(grantFields)) form.append(key, value)
    const multipart = await (await tokenRequest(sim, { body: form })).json()
    const urlencoded = await (
      await tokenRequest(sim, { body: new URLSearchParams(grantFields) })
    ).json()
    expect(multipart.access_token).toMatch(/^1000\./)
    expect(urlencoded.access_token).toMatch(/^1000\./)
    expect(multipart.api_domain).toBe('http://zoho.test')
  })

  it('answers a wrong refresh token with invalid_code and wrong client credentials with invalid_client, as HTTP 200', async () => {
    const sim = createZohoSimulator()
    const wrongToken = await tokenRequest(sim, {}, `?${refreshGrantQuery('1000.nope')}`)
    expect(wrongToken.status).toBe(200)
    expect(await wrongToken.json()).toEqual({ error: 'invalid_code' })
    const wrongClient = await tokenRequest(sim, {
      body: new URLSearchParams({ ...grantFields, client_secret: 'guess' }),
    })
    expect(await wrongClient.json()).toEqual({ error: 'invalid_client' })
    const wrongGrant = await tokenRequest(sim, {
      body: new URLSearchParams({ ...grantFields, grant_type: 'password' }),
    })
    expect(await wrongGrant.json()).toEqual({ error: 'unsupported_grant_type' })
  })

  it('refuses the 11th request in ten minutes with Access Denied, and retries keep the lockout going', async () => {
    const clock = manualClock()
    const sim = createZohoSimulator({ now: clock.now })
    for (let i = 0; i < 10; i++) {
      expect(
        (await (await tokenRequest(sim, {}, `?${refreshGrantQuery()}`)).json()).access_token,
      ).toBeDefined()
      clock.advance(1000)
    }
    const denied = await tokenRequest(sim, {}, `?${refreshGrantQuery()}`)
    expect(denied.status).toBe(400)
    expect(await denied.json()).toEqual({
      error: 'Access Denied',
      error_description:
        'You have made too many requests continuously. Please try again after some time.',
    })
    // Retrying every 30 s: refused calls count too, so the lockout outlives the first ten.
    for (let retry = 1; retry <= 30; retry++) {
      clock.advance(30 * 1000)
      expect((await tokenRequest(sim, {}, `?${refreshGrantQuery()}`)).status).toBe(400)
    }
    clock.advance(10 * 60 * 1000)
    expect((await tokenRequest(sim, {}, `?${refreshGrantQuery()}`)).status).toBe(200)
  })

  it('keeps at most maxLiveAccessTokens live tokens per refresh token, invalidating the oldest', async () => {
    const sim = createZohoSimulator({ maxLiveAccessTokens: 3 })
    const tokens = []
    for (let i = 0; i < 4; i++) tokens.push(await grantAccessToken(sim))
    expect(sim.state.liveAccessTokens()).toEqual(tokens.slice(1))
    const oldest = await crmClient(sim, tokens[0] ?? '').get('/crm/v8/users?type=CurrentUser')
    expect(oldest.status).toBe(401)
    expect(await oldest.json()).toEqual({
      code: 'INVALID_TOKEN',
      details: {},
      message: 'invalid oauth token',
      status: 'error',
    })
    expect(
      (await crmClient(sim, tokens[3] ?? '').get('/crm/v8/users?type=CurrentUser')).status,
    ).toBe(200)
  })
})

describe('CRM authentication', () => {
  it('answers 401 AUTHENTICATION_FAILURE without a Zoho-oauthtoken header', async () => {
    const sim = createZohoSimulator()
    const token = await grantAccessToken(sim)
    for (const authorization of [undefined, `Bearer ${token}`]) {
      const res = await sim.app.request('/crm/v8/Leads/search?phone=5550100', {
        headers: authorization ? { authorization } : {},
      })
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ code: 'AUTHENTICATION_FAILURE', status: 'error' })
    }
  })

  it('answers 401 INVALID_TOKEN once a token has expired or was expired through /_sim', async () => {
    const clock = manualClock()
    const sim = createZohoSimulator({ now: clock.now })
    const crm = crmClient(sim, await grantAccessToken(sim))
    expect((await crm.get('/crm/v8/users?type=CurrentUser')).status).toBe(200)
    clock.advance(3600 * 1000)
    expect(await (await crm.get('/crm/v8/users?type=CurrentUser')).json()).toMatchObject({
      code: 'INVALID_TOKEN',
    })
    const fresh = crmClient(sim, await grantAccessToken(sim))
    expect((await fresh.get('/crm/v8/users?type=CurrentUser')).status).toBe(200)
    expect((await sim.app.request('/_sim/expire-tokens', { method: 'POST' })).status).toBe(200)
    expect((await fresh.get('/crm/v8/users?type=CurrentUser')).status).toBe(401)
  })
})
