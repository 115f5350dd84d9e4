import { afterEach, describe, expect, it } from 'vitest'
import { parseRingCentralNotification } from '../../schemas/ringcentral/classify.ts'
import type { TelephonySessionNotification } from '../../schemas/ringcentral/telephony-session.ts'
import { waitFor } from '../../test/wait-for.ts'
import { createRingCentralSimulator } from './app.ts'
import { simClient, startReceiver, subscriptionBody } from './testing.ts'
import type { CallSpec, RingCentralSimulatorOptions } from './types.ts'

let cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup()
  cleanups = []
})

const inbound: CallSpec = {
  direction: 'Inbound',
  from: '+15550111',
  to: '+15550100',
  result: 'answered',
  callerName: 'Pat Caller',
}

/** A simulator with one receiver subscribed to `filters`. */
const subscribed = async (
  filters: readonly string[] = ['/restapi/v1.0/account/~/telephony/sessions'],
  options: RingCentralSimulatorOptions = {},
  receiverBehaviour: Parameters<typeof startReceiver>[0] = {},
) => {
  const sim = createRingCentralSimulator({ rateLimits: false, ...options })
  const client = simClient(sim)
  const receiver = await startReceiver(receiverBehaviour)
  cleanups.push(receiver.close)
  const { access_token: token } = await client.login()
  const res = await client.post(
    '/restapi/v1.0/subscription',
    token,
    subscriptionBody(receiver.url, filters, { verificationToken: 'vt-42' }),
  )
  expect(res.status).toBe(200)
  const { id } = (await res.json()) as { id: string }
  receiver.behaviour.status = receiverBehaviour.status ?? 200
  return { sim, client, token, receiver, subscriptionId: id }
}

const received = async (r: Awaited<ReturnType<typeof startReceiver>>, count: number) =>
  (await waitFor(() => (r.notifications().length >= count ? r.notifications() : undefined), {
    what: `${count} notifications`,
  })) as TelephonySessionNotification[]

const codes = (events: readonly TelephonySessionNotification[]) =>
  events.map(
    (e) =>
      `${e.body.sequence}:${e.body.parties[0]?.id.slice(-1)}:${e.body.parties[0]?.status.code}${e.body.parties[0]?.status.reason ? `/${e.body.parties[0]?.status.reason}` : ''}`,
  )

describe('telephony-session deliveries', () => {
  it('posts every event of a call with RingCentral headers and envelopes the gateway accepts, in sequence order', async () => {
    const { sim, receiver, subscriptionId } = await subscribed()
    const call = await sim.placeCall(inbound)
    const events = await received(receiver, call.events.length)
    const requests = receiver.requests.filter((r) => r.headers['validation-token'] === undefined)
    for (const { headers } of requests) {
      expect(headers).toMatchObject({
        'content-type': 'application/json; charset=UTF-8',
        'user-agent': 'RingCentral-Webhook/8.3',
        'verification-token': 'vt-42',
      })
    }
    expect(new Set(events.map((e) => e.uuid)).size).toBe(events.length)
    for (const event of events) {
      expect(event).toMatchObject({
        event: '/restapi/v1.0/account/1001/telephony/sessions',
        subscriptionId,
        ownerId: '2002',
      })
      expect(event.uuid).toMatch(/^\d{19}$/)
      expect(event.body.telephonySessionId).toBe(call.telephonySessionId)
      const parsed = parseRingCentralNotification(event)
      expect(parsed.ok && parsed.kind).toBe('telephony-session')
    }
    expect(codes(events)).toEqual([
      '1:1:Setup',
      '2:2:Setup',
      '3:2:Proceeding',
      '4:1:Answered',
      '5:2:Answered',
      '6:2:Disconnected',
      '7:1:Disconnected',
    ])
    const eventTimes = events.map((e) => Date.parse(e.body.eventTime))
    expect(eventTimes).toEqual([...eventTimes].sort((a, b) => a - b))
    expect(Date.parse(call.endTime) - Date.parse(call.startTime)).toBe((6 + 95) * 1000)
  })

  it('disconnects the first extension with BlindTransfer and reports the target leg under its extension path', async () => {
    const { sim, receiver } = await subscribed()
    const call = await sim.placeCall({ ...inbound, transferTo: '2003', recording: true })
    const events = await received(receiver, call.events.length)
    expect(codes(events)).toEqual([
      '1:1:Setup',
      '2:2:Setup',
      '3:2:Proceeding',
      '4:1:Answered',
      '5:2:Answered',
      '6:2:Disconnected/BlindTransfer',
      '7:3:Setup',
      '8:3:Proceeding',
      '9:3:Answered',
      '10:3:Disconnected',
      '11:1:Disconnected',
    ])
    const target = events.filter((e) => e.body.parties[0]?.extensionId === '2003')
    expect(target.map((e) => e.event)).toEqual(
      Array(4).fill('/restapi/v1.0/account/1001/extension/2003/telephony/sessions'),
    )
    expect(events[8]?.body.parties[0]?.recordings).toEqual([{ id: call.recordingId, active: true }])
    expect(events.filter((e) => e.body.parties[0]?.status.code === 'Disconnected')).toHaveLength(3)
  })

  it('passes a voicemail through status VoiceMail with missedCall and sends the voicemail event', async () => {
    const { sim, receiver } = await subscribed([
      '/restapi/v1.0/account/~/extension/~/telephony/sessions',
      '/restapi/v1.0/account/~/extension/~/voicemail',
    ])
    const call = await sim.placeCall({ ...inbound, result: 'voicemail', durationS: 31 })
    const all = await waitFor(() =>
      receiver.notifications().length >= 5 ? receiver.notifications() : undefined,
    )
    const parsed = all.map(parseRingCentralNotification)
    const telephony = parsed.flatMap((p) =>
      p.ok && p.kind === 'telephony-session' ? [p.envelope] : [],
    )
    expect(codes(telephony)).toEqual([
      '2:2:Setup',
      '3:2:Proceeding',
      '4:2:VoiceMail',
      '5:2:Disconnected',
    ])
    expect(telephony.slice(2).every((e) => e.body.parties[0]?.missedCall === true)).toBe(true)
    expect(telephony[0]?.event).toBe('/restapi/v1.0/account/1001/extension/2002/telephony/sessions')
    const voicemail = parsed.find((p) => p.ok && p.kind === 'voicemail')
    expect(parsed.every((p) => p.ok)).toBe(true)
    expect(parsed.filter((p) => p.ok && p.kind === 'generic')).toHaveLength(0)
    expect(voicemail?.ok && voicemail.envelope).toMatchObject({
      event: '/restapi/v1.0/account/1001/extension/2002/voicemail',
      body: {
        id: call.voicemailMessageId,
        from: { phoneNumber: '+15550111' },
        attachments: [{ vmDuration: 31 }],
      },
    })
  })

  it('matches filter queries: missed inbound calls only', async () => {
    const { sim, receiver } = await subscribed([
      '/restapi/v1.0/account/~/telephony/sessions?direction=Inbound&missedCall=true',
    ])
    await sim.placeCall(inbound)
    await sim.placeCall({
      ...inbound,
      direction: 'Outbound',
      from: '+15550100',
      to: '+15550199',
      result: 'missed',
    })
    const missed = await sim.placeCall({ ...inbound, result: 'missed' })
    await sim.flush()
    const events = receiver.notifications() as TelephonySessionNotification[]
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      event: '/restapi/v1.0/account/1001/telephony/sessions?direction=Inbound&missedCall=true',
      body: {
        telephonySessionId: missed.telephonySessionId,
        parties: [{ missedCall: true, status: { code: 'Disconnected' } }],
      },
    })
  })

  it('delivers only the owner extension party to an extension-level filter', async () => {
    const { sim, receiver } = await subscribed([
      '/restapi/v1.0/account/~/extension/~/telephony/sessions',
    ])
    await sim.placeCall({ ...inbound, extensionId: '2004' })
    const own = await sim.placeCall(inbound)
    await sim.flush()
    const events = receiver.notifications() as TelephonySessionNotification[]
    expect(events.map((e) => e.body.telephonySessionId)).toEqual(
      Array(4).fill(own.telephonySessionId),
    )
    expect(events.every((e) => e.body.parties[0]?.extensionId === '2002')).toBe(true)
  })
})

describe('delivery faults', () => {
  it('duplicates notifications with the same uuid', async () => {
    const { sim, receiver } = await subscribed()
    const call = await sim.placeCall({ ...inbound, faults: { duplicate: 1 } })
    const events = await received(receiver, call.events.length * 2)
    expect(new Set(events.map((e) => e.uuid)).size).toBe(call.events.length)
    expect(sim.state.deliveries.filter((d) => d.duplicate)).toHaveLength(call.events.length)
  })

  it('reorders a call’s notifications while keeping every sequence', async () => {
    const { sim, receiver } = await subscribed()
    const call = await sim.placeCall({ ...inbound, faults: { reorder: true } })
    const sequences = (await received(receiver, call.events.length)).map((e) => e.body.sequence)
    expect([...sequences].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(sequences).not.toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('drops notifications, recording them as dropped', async () => {
    const { sim, receiver } = await subscribed()
    sim.setFaults({ webhookDrop: 1 })
    await sim.placeCall(inbound)
    await sim.flush()
    expect(receiver.notifications()).toHaveLength(0)
    expect(sim.state.deliveries.every((d) => d.outcome === 'dropped')).toBe(true)
    expect(sim.stats().deliveries.dropped).toBe(7)
  })
})

describe('blacklisting', () => {
  it('blacklists a subscription whose deliveries failed continuously for blacklistAfterMs, then stops delivering', async () => {
    let now = Date.parse('2026-03-02T10:00:00.000Z')
    const { sim, client, token, receiver, subscriptionId } = await subscribed(
      undefined,
      { now: () => now, blacklistAfterMs: 600_000 },
      { status: 404 },
    )
    await sim.placeCall(inbound)
    await sim.flush()
    expect(sim.state.subscriptions[0]).toMatchObject({
      status: 'Active',
      failures: { consecutive: 7 },
    })
    now += 600_000
    await sim.placeCall(inbound)
    await sim.flush()
    const view = (await (
      await client.get(`/restapi/v1.0/subscription/${subscriptionId}`, token)
    ).json()) as Record<string, unknown>
    expect(view).toMatchObject({
      status: 'Blacklisted',
      blacklistedData: {
        blacklistedAt: new Date(now).toISOString(),
        reason: 'Webhook responses with code: [404], reason: [Not Found]',
      },
    })
    const attempts = sim.state.deliveries.length
    expect(attempts).toBe(8)
    await sim.placeCall(inbound)
    await sim.flush()
    expect(sim.state.deliveries).toHaveLength(attempts)
    expect(receiver.notifications()).toHaveLength(8)
    expect(sim.state.deliveries.every((d) => d.outcome === 'failed' && d.status === 404)).toBe(true)
  })

  it('resets the failure streak after a successful delivery', async () => {
    let now = Date.parse('2026-03-02T10:00:00.000Z')
    const { sim, receiver } = await subscribed(
      undefined,
      { now: () => now, blacklistAfterMs: 1000 },
      { status: 500 },
    )
    await sim.placeCall({ ...inbound, result: 'missed' })
    await sim.flush()
    receiver.behaviour.status = 200
    await sim.placeCall({ ...inbound, result: 'missed' })
    await sim.flush()
    now += 5000
    receiver.behaviour.status = 500
    await sim.placeCall({ ...inbound, result: 'missed' })
    await sim.flush()
    expect(sim.state.subscriptions[0]).toMatchObject({ status: 'Active' })
  })

  it('counts a timeout as a failure', async () => {
    const { sim, receiver } = await subscribed(undefined, {
      webhookTimeoutMs: 150,
      blacklistAfterMs: 0,
    })
    receiver.behaviour.delayMs = 400
    await sim.placeCall({ ...inbound, result: 'missed' })
    await sim.flush()
    expect(sim.state.subscriptions[0]).toMatchObject({
      status: 'Blacklisted',
      blacklistedData: { reason: 'I/O operation is failed. Details: [Read timed out]' },
    })
  })
})
