import { describe, expect, it } from 'vitest'
import { createRingCentralSimulator } from './app.ts'
import { simClient } from './testing.ts'

const CALL_LOG = '/restapi/v1.0/account/~/call-log'

const setup = (rateLimits: Parameters<typeof createRingCentralSimulator>[0] = {}) => {
  let now = Date.parse('2026-03-02T10:00:00.000Z')
  const sim = createRingCentralSimulator({ now: () => now, ...rateLimits })
  return { sim, client: simClient(sim), tick: (ms: number) => (now += ms) }
}

describe('rate limits', () => {
  it('puts X-Rate-Limit headers on normal answers, counting down per group', async () => {
    const { client } = setup()
    const { access_token } = await client.login()
    const first = await client.get(CALL_LOG, access_token)
    expect(first.status).toBe(200)
    expect(Object.fromEntries(first.headers)).toMatchObject({
      'x-rate-limit-group': 'heavy',
      'x-rate-limit-limit': '10',
      'x-rate-limit-remaining': '9',
      'x-rate-limit-window': '60',
    })
    const light = await client.get('/restapi/v1.0/subscription', access_token)
    expect(light.headers.get('x-rate-limit-group')).toBe('light')
    expect(light.headers.get('x-rate-limit-remaining')).toBe('49')
  })

  it('answers 429 CMN-301 with Retry-After once a group is over its limit, and every request in the penalty restarts it', async () => {
    const { sim, client, tick } = setup({ rateLimits: { Heavy: 2, windowS: 60, penaltyS: 60 } })
    const { access_token } = await client.login()
    expect((await client.get(CALL_LOG, access_token)).status).toBe(200)
    expect((await client.get(CALL_LOG, access_token)).status).toBe(200)
    const limited = await client.get(CALL_LOG, access_token)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('60')
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0')
    expect(await limited.json()).toEqual({
      errorCode: 'CMN-301',
      message: 'Request rate exceeded',
      errors: [{ errorCode: 'CMN-301', message: 'Request rate exceeded' }],
    })
    // The trap: a retry 30 s in restarts the 60 s penalty …
    tick(30_000)
    expect((await client.get(CALL_LOG, access_token)).status).toBe(429)
    tick(45_000)
    expect((await client.get(CALL_LOG, access_token)).status).toBe(429)
    // … and only a full quiet penalty frees the group.
    tick(60_001)
    expect((await client.get(CALL_LOG, access_token)).status).toBe(200)
    expect(sim.stats().served429).toBe(3)
    expect(sim.stats().requests.Heavy).toBe(6)
  })

  it('keeps groups independent', async () => {
    const { client } = setup({ rateLimits: { Heavy: 1 } })
    const { access_token } = await client.login()
    await client.get(CALL_LOG, access_token)
    expect((await client.get(CALL_LOG, access_token)).status).toBe(429)
    expect((await client.get('/restapi/v1.0/subscription', access_token)).status).toBe(200)
  })

  it('limits the token endpoint in the Auth group', async () => {
    const { client } = setup({ rateLimits: { Auth: 2 } })
    await client.login()
    await client.login()
    const third = await client.token({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: 'sim-rc-jwt-credential',
    })
    expect(third.status).toBe(429)
    expect(third.headers.get('x-rate-limit-group')).toBe('auth')
    expect(third.headers.get('retry-after')).toBe('60')
  })

  it('slides the window: requests older than the window no longer count', async () => {
    const { client, tick } = setup({ rateLimits: { Heavy: 2, windowS: 10, penaltyS: 10 } })
    const { access_token } = await client.login()
    await client.get(CALL_LOG, access_token)
    tick(6000)
    await client.get(CALL_LOG, access_token)
    tick(5000)
    const third = await client.get(CALL_LOG, access_token)
    expect(third.status).toBe(200)
    expect(third.headers.get('x-rate-limit-remaining')).toBe('0')
  })

  it('answers 503 CMN-201 with Retry-After under the serviceUnavailable fault', async () => {
    const { sim, client } = setup({ rateLimits: false })
    const { access_token } = await client.login()
    sim.setFaults({ serviceUnavailable: 1 })
    const res = await client.get(CALL_LOG, access_token)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(await res.json()).toMatchObject({ errorCode: 'CMN-201' })
  })
})
