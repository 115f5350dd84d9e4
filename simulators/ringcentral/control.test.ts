import { afterEach, describe, expect, it } from 'vitest'
import { createRingCentralSimulator } from './app.ts'
import { simClient, startReceiver, subscriptionBody } from './testing.ts'

let cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup()
  cleanups = []
})

const setup = async () => {
  const start = Date.parse('2026-03-02T10:00:00.000Z')
  const sim = createRingCentralSimulator({
    rateLimits: false,
    now: () => start,
    callLogDelayMs: 1000,
  })
  const client = simClient(sim)
  const { access_token: token } = await client.login()
  const control = (path: string, body?: unknown) =>
    client.request(
      `/_sim${path}`,
      body === undefined
        ? {}
        : {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
    )
  return { sim, client, token, control }
}

describe('POST /restapi/v1.0/account/~/extension/~/sms', () => {
  it('answers the message resource, rate-limited as Medium, and records the message', async () => {
    const sim = createRingCentralSimulator()
    const client = simClient(sim)
    const { access_token: token } = await client.login()
    const res = await client.post('/restapi/v1.0/account/~/extension/~/sms', token, {
      from: { phoneNumber: '+15550100' },
      to: [{ phoneNumber: '+15550111' }],
      text: 'Thanks for calling, here is the quote.',
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-rate-limit-group')).toBe('medium')
    const message = (await res.json()) as Record<string, unknown>
    expect(message).toMatchObject({
      id: expect.any(Number),
      type: 'SMS',
      direction: 'Outbound',
      messageStatus: 'Queued',
      from: { phoneNumber: '+15550100' },
      to: [{ phoneNumber: '+15550111' }],
      subject: 'Thanks for calling, here is the quote.',
    })
    expect(message['uri']).toBe(
      `http://platform.rc.test/restapi/v1.0/account/1001/extension/2002/message-store/${message['id']}`,
    )
    expect(sim.state.sms).toEqual([
      expect.objectContaining({
        id: message['id'],
        ownerId: '2002',
        to: ['+15550111'],
        text: 'Thanks for calling, here is the quote.',
      }),
    ])
  })

  it('rejects a body without recipients with 400 CMN-101 naming the parameter', async () => {
    const sim = createRingCentralSimulator()
    const client = simClient(sim)
    const { access_token: token } = await client.login()
    const res = await client.post('/restapi/v1.0/account/~/extension/~/sms', token, {
      from: { phoneNumber: '+15550100' },
      to: [],
      text: 'hi',
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ errorCode: 'CMN-101', parameterName: 'to' })
  })
})

describe('/_sim control API', () => {
  it('places a call from JSON and lists it', async () => {
    const { control } = await setup()
    const res = await control('/calls', {
      direction: 'Outbound',
      from: '+15550100',
      to: '+15550199',
      result: 'answered',
      durationS: 30,
    })
    expect(res.status).toBe(200)
    const call = (await res.json()) as { telephonySessionId: string }
    expect(call.telephonySessionId).toMatch(/^s-[0-9a-f]{32}$/)
    expect(await (await control('/calls')).json()).toEqual([call])
  })

  it('rejects an invalid call spec or an unknown extension', async () => {
    const { control } = await setup()
    expect(
      (
        await control('/calls', {
          direction: 'Inbound',
          from: 'nobody',
          to: '+1555',
          result: 'answered',
        })
      ).status,
    ).toBe(400)
    const unknown = await control('/calls', {
      direction: 'Inbound',
      from: '+15550111',
      to: '+15550100',
      result: 'answered',
      transferTo: '9999',
    })
    expect(await unknown.json()).toMatchObject({
      errorCode: 'CMN-101',
      parameterName: 'transferTo',
    })
  })

  it('shows subscriptions without secrets, deliveries with status and latency, and stats', async () => {
    const { control, client, token } = await setup()
    const receiver = await startReceiver()
    cleanups.push(receiver.close)
    await client.post(
      '/restapi/v1.0/subscription',
      token,
      subscriptionBody(receiver.url, undefined, { verificationToken: 'top-secret-token' }),
    )
    await control('/calls', {
      direction: 'Inbound',
      from: '+15550111',
      to: '+15550100',
      result: 'missed',
    })
    await control('/flush', {})
    const subscriptions = await (await control('/subscriptions')).text()
    expect(subscriptions).not.toContain('top-secret-token')
    expect(JSON.parse(subscriptions)).toEqual([
      expect.objectContaining({ status: 'Active', address: receiver.url, delivered: 5 }),
    ])
    const deliveries = (await (await control('/deliveries?outcome=delivered')).json()) as Record<
      string,
      unknown
    >[]
    expect(deliveries).toHaveLength(5)
    expect(deliveries[0]).toMatchObject({
      status: 200,
      latencyMs: expect.any(Number),
      uuid: expect.stringMatching(/^\d{19}$/),
      kind: 'telephony-session',
    })
    expect(await (await control('/stats')).json()).toMatchObject({
      requests: { Medium: 1 },
      tokensIssued: 1,
      handshakes: { ok: 1 },
      deliveries: { delivered: 5 },
      callsPlaced: 1,
    })
  })

  it('sets faults, advances the clock and expires tokens', async () => {
    const { control, client, token, sim } = await setup()
    expect(await (await control('/faults', { duplicate: 1, reorder: true })).json()).toEqual({
      duplicate: 1,
      reorder: true,
    })
    expect((await control('/faults', { webhookDrop: 2 })).status).toBe(400)
    await control('/calls', {
      direction: 'Inbound',
      from: '+15550111',
      to: '+15550100',
      result: 'answered',
    })
    expect(await (await control('/state')).json()).toMatchObject({
      callLog: { visible: 0, pending: 1 },
    })
    expect(await (await control('/advance', { ms: 1000 })).json()).toEqual({
      now: '2026-03-02T10:00:01.000Z',
    })
    expect(await (await control('/state')).json()).toMatchObject({
      callLog: { visible: 1, pending: 0 },
    })
    expect(await (await control('/expire-tokens', {})).json()).toEqual({ expired: 1 })
    expect((await client.get('/restapi/v1.0/subscription', token)).status).toBe(401)
    expect(await (await control('/expire-sync-tokens', {})).json()).toEqual({ syncEpoch: 1 })
    expect(sim.stats().callsPlaced).toBe(1)
  })
})
