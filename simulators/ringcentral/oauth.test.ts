import { describe, expect, it } from 'vitest'
import { createRingCentralSimulator } from './app.ts'
import { basicAuth, simClient, simCredentials } from './testing.ts'

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
const SUBSCRIPTIONS = '/restapi/v1.0/subscription'

const setup = (options: Parameters<typeof createRingCentralSimulator>[0] = {}) => {
  let now = Date.parse('2026-03-02T10:00:00.000Z')
  const sim = createRingCentralSimulator({ rateLimits: false, now: () => now, ...options })
  return { sim, client: simClient(sim), tick: (ms: number) => (now += ms) }
}

describe('POST /restapi/oauth/token: jwt-bearer grant', () => {
  it('issues a bearer token pair with the documented fields and lifetimes', async () => {
    const { client } = setup()
    const token = await client.login()
    expect(token).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      refresh_token_expires_in: 604_800,
      owner_id: '2002',
    })
    for (const field of [
      'access_token',
      'refresh_token',
      'scope',
      'endpoint_id',
      'session_id',
    ] as const) {
      expect(token[field]).toEqual(expect.any(String))
    }
  })

  it('rejects a wrong JWT with 400 invalid_grant and a wrong client with 401 invalid_client', async () => {
    const { client } = setup()
    const badJwt = await client.token({ grant_type: JWT_GRANT, assertion: 'not-the-jwt' })
    expect(badJwt.status).toBe(400)
    expect(await badJwt.json()).toMatchObject({
      error: 'invalid_grant',
      errors: [{ errorCode: 'OAU-140' }],
    })
    const badClient = await client.token(
      { grant_type: JWT_GRANT, assertion: simCredentials.jwt },
      basicAuth(simCredentials.clientId, 'wrong-secret'),
    )
    expect(badClient.status).toBe(401)
    expect(await badClient.json()).toMatchObject({ error: 'invalid_client' })
  })

  it('rejects an unsupported grant type and a JSON body', async () => {
    const { client } = setup()
    const password = await client.token({ grant_type: 'password', username: 'x', password: 'y' })
    expect(password.status).toBe(400)
    expect(await password.json()).toMatchObject({ error: 'unsupported_grant_type' })
    const json = await client.request('/restapi/oauth/token', {
      method: 'POST',
      headers: {
        authorization: basicAuth(simCredentials.clientId, simCredentials.clientSecret),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ grant_type: JWT_GRANT, assertion: simCredentials.jwt }),
    })
    expect(json.status).toBe(400)
  })
})

describe('POST /restapi/oauth/token: refresh_token grant', () => {
  it('rotates the pair and kills the old access token at once', async () => {
    const { client } = setup()
    const first = await client.login()
    const second = await client.refresh(first.refresh_token)
    expect(second.access_token).not.toBe(first.access_token)
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(second.session_id).toBe(first.session_id)
    const old = await client.get(SUBSCRIPTIONS, first.access_token)
    expect(old.status).toBe(401)
    expect(await old.json()).toMatchObject({
      errorCode: 'TokenInvalid',
      errors: [{ errorCode: 'OAU-213' }],
    })
    expect((await client.get(SUBSCRIPTIONS, second.access_token)).status).toBe(200)
  })

  it('replays the same pair for the old refresh token within the grace window, then refuses it', async () => {
    const { client, tick } = setup()
    const first = await client.login()
    const second = await client.refresh(first.refresh_token)
    // New access token still unused: the old refresh token answers with the same new pair.
    expect(await client.refresh(first.refresh_token)).toMatchObject({
      access_token: second.access_token,
      refresh_token: second.refresh_token,
    })
    await client.get(SUBSCRIPTIONS, second.access_token)
    tick(11_000)
    const reused = await client.token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    })
    expect(reused.status).toBe(400)
    expect(await reused.json()).toEqual({
      error: 'invalid_grant',
      errors: [{ errorCode: 'OAU-211', message: 'Token revoked' }],
      error_description: 'Token revoked',
    })
  })

  it('counts issued tokens and refreshes', async () => {
    const { sim, client } = setup()
    const token = await client.login()
    await client.refresh(token.refresh_token)
    expect(sim.stats()).toMatchObject({ tokensIssued: 2, refreshes: 1 })
  })
})

describe('sessions', () => {
  it('invalidates the oldest session when a sixth login of the same user and app happens', async () => {
    const { sim, client, tick } = setup()
    const tokens = []
    for (let i = 0; i < 6; i++) {
      tokens.push(await client.login())
      tick(1000)
    }
    const oldest = await client.get(SUBSCRIPTIONS, tokens[0]?.access_token ?? '')
    expect(oldest.status).toBe(401)
    expect(await oldest.json()).toMatchObject({
      message: 'Token not found',
      errors: [{ errorCode: 'OAU-213' }],
    })
    expect((await client.get(SUBSCRIPTIONS, tokens[1]?.access_token ?? '')).status).toBe(200)
    expect(sim.stats().sessionsInvalidated).toBe(1)
    expect(sim.state.sessions.filter((s) => s.live)).toHaveLength(5)
    const refreshOld = await client.token({
      grant_type: 'refresh_token',
      refresh_token: tokens[0]?.refresh_token ?? '',
    })
    expect(refreshOld.status).toBe(400)
  })

  it('expires access tokens after their lifetime with 401 OAU-213', async () => {
    const { client, tick } = setup({ accessTokenTtlS: 600 })
    const token = await client.login()
    expect(token.expires_in).toBe(600)
    tick(600_000)
    const res = await client.get(SUBSCRIPTIONS, token.access_token)
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({
      errorCode: 'TokenInvalid',
      errors: [{ errorCode: 'OAU-213' }],
    })
    expect((await client.refresh(token.refresh_token)).expires_in).toBe(600)
  })

  it('kills tokens early under the tokenExpiry fault, whatever expires_in said', async () => {
    const { sim, client, tick } = setup()
    sim.setFaults({ tokenExpiry: 5 })
    const token = await client.login()
    expect(token.expires_in).toBe(3600)
    tick(5000)
    expect((await client.get(SUBSCRIPTIONS, token.access_token)).status).toBe(401)
  })

  it('revokes the whole session', async () => {
    const { client } = setup()
    const token = await client.login()
    const revoked = await client.request('/restapi/oauth/revoke', {
      method: 'POST',
      headers: {
        authorization: basicAuth(simCredentials.clientId, simCredentials.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: token.access_token }).toString(),
    })
    expect(revoked.status).toBe(200)
    expect((await client.get(SUBSCRIPTIONS, token.access_token)).status).toBe(401)
    expect(
      (await client.token({ grant_type: 'refresh_token', refresh_token: token.refresh_token }))
        .status,
    ).toBe(400)
  })
})

describe('bearer authentication: adversarial / fail-closed', () => {
  it('answers 401 AGW-401 without an Authorization header', async () => {
    const { client } = setup()
    const res = await client.request(SUBSCRIPTIONS)
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ errorCode: 'AGW-401' })
  })

  it('answers 401 OAU-149 for a string that is not a token', async () => {
    const { client } = setup()
    const res = await client.get(SUBSCRIPTIONS, 'hello')
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ errors: [{ errorCode: 'OAU-149' }] })
  })

  it('answers 401 OAU-213 for a well-formed token it never issued', async () => {
    const { client } = setup()
    const res = await client.get(SUBSCRIPTIONS, `U0lNQVQw${'A'.repeat(40)}`)
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ errors: [{ errorCode: 'OAU-213' }] })
  })

  it('expires every live access token on demand, and refresh tokens too when asked', async () => {
    const { sim, client } = setup()
    const token = await client.login()
    expect(sim.expireTokens()).toBe(1)
    expect((await client.get(SUBSCRIPTIONS, token.access_token)).status).toBe(401)
    const renewed = await client.refresh(token.refresh_token)
    sim.expireTokens({ refresh: true })
    expect(
      (await client.token({ grant_type: 'refresh_token', refresh_token: renewed.refresh_token }))
        .status,
    ).toBe(400)
  })
})
