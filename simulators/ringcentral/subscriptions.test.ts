import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { parseRingCentralNotification } from '../../schemas/ringcentral/classify.ts'
import { waitFor } from '../../test/wait-for.ts'
import { serveApp } from '../shared/serve.ts'
import { createRingCentralSimulator } from './app.ts'
import { simClient, startReceiver, subscriptionBody } from './testing.ts'
import type { RingCentralSimulatorOptions } from './types.ts'

const SUBSCRIPTIONS = '/restapi/v1.0/subscription'
let cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup()
  cleanups = []
})

const setup = async (options: RingCentralSimulatorOptions = {}) => {
  let now = Date.parse('2026-03-02T10:00:00.000Z')
  const sim = createRingCentralSimulator({ rateLimits: false, now: () => now, ...options })
  const client = simClient(sim)
  const { access_token: token } = await client.login()
  return { sim, client, token, tick: (ms: number) => (now += ms) }
}

const receiver = async (behaviour: Parameters<typeof startReceiver>[0] = {}) => {
  const r = await startReceiver(behaviour)
  cleanups.push(r.close)
  return r
}

describe('POST /restapi/v1.0/subscription: validation handshake', () => {
  it('validates the address with an empty POST carrying Validation-Token and Verification-Token before answering', async () => {
    const { sim, client, token } = await setup()
    const seen: { headers: Record<string, string>; body: string; subscriptionsThen: number }[] = []
    const app = new Hono()
    app.post('/hook', async (c) => {
      seen.push({
        headers: Object.fromEntries(c.req.raw.headers),
        body: await c.req.text(),
        subscriptionsThen: sim.state.subscriptions.length,
      })
      c.header('Validation-Token', c.req.header('validation-token') ?? '')
      return c.body(null, 200)
    })
    const served = await serveApp(app)
    cleanups.push(served.close)

    const res = await client.post(
      SUBSCRIPTIONS,
      token,
      subscriptionBody(`${served.url}/hook`, undefined, { verificationToken: 'vt-secret-1' }),
    )
    expect(res.status).toBe(200)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.body).toBe('')
    expect(seen[0]?.subscriptionsThen).toBe(0)
    expect(seen[0]?.headers['validation-token']).toMatch(/^[A-Za-z0-9]{32}$/)
    expect(seen[0]?.headers['verification-token']).toBe('vt-secret-1')
    const text = await res.text()
    expect(text).not.toContain('vt-secret-1')
    expect(JSON.parse(text)).toMatchObject({
      status: 'Active',
      expiresIn: 604_800,
      deliveryMode: { transportType: 'WebHook', encryption: false, address: `${served.url}/hook` },
    })
    expect(sim.stats().handshakes).toEqual({ ok: 1, failed: 0 })
  })

  it('refuses with 400 SUB-525 when the receiver does not echo Validation-Token', async () => {
    const { sim, client, token } = await setup()
    const r = await receiver({ echo: false })
    const res = await client.post(SUBSCRIPTIONS, token, subscriptionBody(r.url))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      errorCode: 'SUB-525',
      message: 'WebHook server response is invalid',
      errors: [{ errorCode: 'SUB-525', message: 'WebHook server response is invalid' }],
    })
    expect(sim.state.subscriptions).toHaveLength(0)
  })

  it('refuses with 400 SUB-525 when the answer exceeds 1024 bytes', async () => {
    const { client, token } = await setup()
    const r = await receiver({ handshakeBody: 'x'.repeat(1000) })
    const res = await client.post(SUBSCRIPTIONS, token, subscriptionBody(r.url))
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ errorCode: 'SUB-525' })
  })

  it('refuses with 400 SUB-525 when the receiver is too slow or unreachable', async () => {
    const { client, token } = await setup({ webhookTimeoutMs: 100 })
    const slow = await receiver({ delayMs: 400 })
    expect((await client.post(SUBSCRIPTIONS, token, subscriptionBody(slow.url))).status).toBe(400)
    const gone = await startReceiver()
    await gone.close()
    expect((await client.post(SUBSCRIPTIONS, token, subscriptionBody(gone.url))).status).toBe(400)
  })
})

describe('subscription resource', () => {
  it('lists, reads, renews (keeping expiresIn), updates and deletes (204)', async () => {
    const { client, token, tick } = await setup()
    const r = await receiver()
    const created = (await (
      await client.post(
        SUBSCRIPTIONS,
        token,
        subscriptionBody(r.url, undefined, { expiresIn: 3600 }),
      )
    ).json()) as { id: string; uri: string; expirationTime: string }
    expect(created.uri).toBe(`http://platform.rc.test${SUBSCRIPTIONS}/${created.id}`)
    const list = (await (await client.get(SUBSCRIPTIONS, token)).json()) as {
      uri: string
      records: { id: string }[]
    }
    expect(list.uri).toBe(`http://platform.rc.test${SUBSCRIPTIONS}`)
    expect(list.records.map((s) => s.id)).toEqual([created.id])

    tick(1_000_000)
    const read = (await (await client.get(`${SUBSCRIPTIONS}/${created.id}`, token)).json()) as {
      expiresIn: number
    }
    expect(read.expiresIn).toBe(2600)
    const renewed = (await (
      await client.post(`${SUBSCRIPTIONS}/${created.id}/renew`, token)
    ).json()) as { expiresIn: number }
    expect(renewed.expiresIn).toBe(3600)

    const emptyPut = (await (await client.put(`${SUBSCRIPTIONS}/${created.id}`, token)).json()) as {
      expiresIn: number
    }
    expect(emptyPut.expiresIn).toBe(604_800)
    const filters = ['/restapi/v1.0/account/~/extension/~/telephony/sessions?direction=Inbound']
    const updated = await (
      await client.put(`${SUBSCRIPTIONS}/${created.id}`, token, {
        eventFilters: filters,
        expiresIn: 900,
      })
    ).json()
    expect(updated).toMatchObject({ eventFilters: filters, expiresIn: 900 })

    const deleted = await client.delete(`${SUBSCRIPTIONS}/${created.id}`, token)
    expect(deleted.status).toBe(204)
    expect(await deleted.text()).toBe('')
    const gone = await client.get(`${SUBSCRIPTIONS}/${created.id}`, token)
    expect(gone.status).toBe(404)
    expect(await gone.json()).toMatchObject({
      errorCode: 'CMN-102',
      errors: [{ parameterName: 'subscriptionId' }],
    })
  })

  it('clamps expiresIn to 10 years and rejects values below 1', async () => {
    const { client, token } = await setup()
    const r = await receiver()
    const long = await (
      await client.post(
        SUBSCRIPTIONS,
        token,
        subscriptionBody(r.url, undefined, { expiresIn: 999_999_999 }),
      )
    ).json()
    expect(long).toMatchObject({ expiresIn: 315_360_000 })
    const zero = await client.post(
      SUBSCRIPTIONS,
      token,
      subscriptionBody(r.url, undefined, { expiresIn: 0 }),
    )
    expect(zero.status).toBe(400)
    expect(await zero.json()).toMatchObject({ errorCode: 'CMN-101', parameterName: 'expiresIn' })
  })

  it('drops a subscription once it expires', async () => {
    const { sim, client, token } = await setup()
    const r = await receiver()
    const { id } = (await (
      await client.post(SUBSCRIPTIONS, token, subscriptionBody(r.url, undefined, { expiresIn: 60 }))
    ).json()) as { id: string }
    sim.advance(60_000)
    expect((await client.get(`${SUBSCRIPTIONS}/${id}`, token)).status).toBe(404)
  })

  it('caps subscriptions per user and app with 403 SUB-505', async () => {
    const { client, token } = await setup({ maxSubscriptionsPerUser: 2 })
    const r = await receiver()
    for (let i = 0; i < 2; i++)
      expect((await client.post(SUBSCRIPTIONS, token, subscriptionBody(r.url))).status).toBe(200)
    const third = await client.post(SUBSCRIPTIONS, token, subscriptionBody(r.url))
    expect(third.status).toBe(403)
    expect(await third.json()).toMatchObject({
      errorCode: 'SUB-505',
      message: 'Subscriptions limit exceeded',
    })
  })

  it('rejects unknown filters (SUB-508), other accounts (SUB-406), other transports and malformed JSON', async () => {
    const { client, token } = await setup()
    const r = await receiver()
    const unknown = await client.post(
      SUBSCRIPTIONS,
      token,
      subscriptionBody(r.url, ['/restapi/v1.0/account/~/nonsense']),
    )
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toMatchObject({
      errorCode: 'SUB-508',
      message: 'Invalid event filters: [/restapi/v1.0/account/~/nonsense]',
    })
    const badQuery = await client.post(
      SUBSCRIPTIONS,
      token,
      subscriptionBody(r.url, ['/restapi/v1.0/account/~/telephony/sessions?direction=Sideways']),
    )
    expect(badQuery.status).toBe(400)
    const other = await client.post(
      SUBSCRIPTIONS,
      token,
      subscriptionBody(r.url, ['/restapi/v1.0/account/9999/telephony/sessions']),
    )
    expect(other.status).toBe(403)
    expect(await other.json()).toMatchObject({ errorCode: 'SUB-406' })
    const pubnub = await client.post(SUBSCRIPTIONS, token, {
      eventFilters: ['/restapi/v1.0/account/~/telephony/sessions'],
      deliveryMode: { transportType: 'PubNub' },
    })
    expect(await pubnub.json()).toMatchObject({
      errorCode: 'CMN-101',
      parameterName: 'deliveryMode.transportType',
    })
    const malformed = await client.request(SUBSCRIPTIONS, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{',
    })
    expect(await malformed.json()).toMatchObject({ errorCode: 'CMN-103' })
  })
})

describe('renewal reminders', () => {
  it('sends the reminder event, the filter exactly as written, within threshold of expiry', async () => {
    const { sim, client, token } = await setup()
    const r = await receiver()
    const filter = '/restapi/v1.0/subscription/~?threshold=120&interval=60'
    const created = await client.post(
      SUBSCRIPTIONS,
      token,
      subscriptionBody(r.url, ['/restapi/v1.0/account/~/telephony/sessions', filter], {
        expiresIn: 600,
      }),
    )
    expect(created.status).toBe(200)
    sim.advance(500_000)
    const [reminder] = await waitFor(
      () => (r.notifications().length > 0 ? r.notifications() : undefined),
      { what: 'a reminder' },
    )
    expect(reminder).toMatchObject({ event: filter, body: { expiresIn: 100 } })
    const parsed = parseRingCentralNotification(reminder)
    expect(parsed.ok && parsed.kind).toBe('subscription-reminder')
    // Not again before `interval` has passed.
    sim.advance(30_000)
    await sim.flush()
    expect(r.notifications()).toHaveLength(1)
  })
})
