import { describe, expect, it } from 'vitest'
import {
  genericNotification,
  subscriptionRenewalReminder,
  telephonySessionNotification,
  voicemailNotification,
} from '../fixtures/ringcentral.ts'
import { classifyRingCentralEvent, parseRingCentralNotification } from './classify.ts'

const kindOf = (event: string) => classifyRingCentralEvent({ event })

describe('classifyRingCentralEvent', () => {
  it.each([
    '/restapi/v1.0/account/123/telephony/sessions',
    '/restapi/v1.0/account/~/telephony/sessions',
    '/restapi/v1.0/account/123/extension/456/telephony/sessions',
    '/restapi/v1.0/account/123/extension/456/telephony/sessions?x=y',
    '/restapi/v1.0/account/~/telephony/sessions?direction=Inbound&missedCall=true',
    '/restapi/v1.0/account/123/telephony/sessions/',
    'https://platform.ringcentral.com/restapi/v1.0/account/123/telephony/sessions',
  ])('classifies %s as a telephony session', (event) => {
    expect(kindOf(event)).toBe('telephony-session')
  })

  it.each([
    '/restapi/v1.0/account/~/extension/~/voicemail',
    '/restapi/v1.0/account/123/extension/456/voicemail',
    '/restapi/v1.0/account/123/extension/456/voicemail?foo=bar',
  ])('classifies %s as voicemail', (event) => {
    expect(kindOf(event)).toBe('voicemail')
  })

  it.each([
    '/restapi/v1.0/subscription/~?threshold=600&interval=120',
    '/restapi/v1.0/subscription/~',
    '/restapi/v1.0/subscription/b3a1f2c4-0d5e-4c1a-9a8b-2f6e7d8c9b0a?threshold=60&interval=15',
  ])('classifies %s as a subscription reminder', (event) => {
    expect(kindOf(event)).toBe('subscription-reminder')
  })

  it.each([
    '/restapi/v1.0/account/123/extension/456/presence?detailedTelephonyState=true',
    '/restapi/v1.0/account/123/extension/456/message-store?type=Voicemail',
    '/restapi/v1.0/account/123/extension/456/telephony/sessions/extra',
    '/restapi/v1.0/account/123/telephony/sessionsX',
    '/restapi/v1.0/account/123/voicemail',
    '/restapi/v1.0/subscription',
    '/restapi/v1.0/glip/posts',
    'telephony/sessions',
    '',
  ])('classifies %s as generic', (event) => {
    expect(kindOf(event)).toBe('generic')
  })
})

describe('parseRingCentralNotification', () => {
  it('parses a telephony session notification, keeping unknown fields', () => {
    const input = telephonySessionNotification({
      sequence: 4,
      status: 'Answered',
      extra: { newEnvelopeField: 'kept' },
      bodyExtra: { newBodyField: { deep: [1] } },
    })
    const result = parseRingCentralNotification(input)
    expect(result).toEqual({ ok: true, kind: 'telephony-session', envelope: input })
    if (result.ok && result.kind === 'telephony-session') {
      expect(result.envelope.body.parties[0]?.status.code).toBe('Answered')
      expect(result.envelope).toHaveProperty('newEnvelopeField', 'kept')
    }
  })

  it('classifies the same session event by shape, whether it came on the account or extension path', () => {
    const account = telephonySessionNotification()
    const extension = telephonySessionNotification({ eventExtensionId: '2002' })
    expect(account.event).not.toBe(extension.event)
    expect(parseRingCentralNotification(account)).toMatchObject({
      ok: true,
      kind: 'telephony-session',
    })
    expect(parseRingCentralNotification(extension)).toMatchObject({
      ok: true,
      kind: 'telephony-session',
    })
  })

  it('parses voicemail, renewal reminders and generic events', () => {
    expect(parseRingCentralNotification(voicemailNotification())).toMatchObject({
      ok: true,
      kind: 'voicemail',
    })
    expect(parseRingCentralNotification(subscriptionRenewalReminder())).toMatchObject({
      ok: true,
      kind: 'subscription-reminder',
    })
    expect(
      parseRingCentralNotification(genericNotification({ body: { anything: 'goes' } })),
    ).toMatchObject({
      ok: true,
      kind: 'generic',
    })
  })

  it('reports an invalid envelope with the path of every problem', () => {
    const result = parseRingCentralNotification({ event: 42, body: {} })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error).toMatch(/^invalid RingCentral envelope: /)
      expect(result.error).toContain('uuid: ')
      expect(result.error).toContain('event: ')
      expect(result.error).not.toContain('\n')
    }
  })

  it('reports a body that does not fit its kind, naming the nested field', () => {
    const input = telephonySessionNotification()
    const party = { ...input.body.parties[0], status: { code: 7 } }
    const result = parseRingCentralNotification({
      ...input,
      body: { ...input.body, parties: [party] },
    })
    expect(result).toEqual({
      ok: false,
      error:
        'invalid telephony-session notification: body.parties[0].status.code: Invalid input: expected string, received number',
    })
  })

  it('reports a voicemail without an id and a reminder without expiresIn', () => {
    const voicemail = voicemailNotification()
    const vm = parseRingCentralNotification({
      ...voicemail,
      body: { ...voicemail.body, id: undefined },
    })
    expect(vm).toMatchObject({
      ok: false,
      error: expect.stringContaining('invalid voicemail notification: body.id: '),
    })
    const reminder = parseRingCentralNotification({ ...subscriptionRenewalReminder(), body: {} })
    expect(reminder).toMatchObject({
      ok: false,
      error: expect.stringContaining('body.expiresIn: '),
    })
  })

  it('rejects JSON that is not an object', () => {
    for (const json of [null, 'text', 3, []]) {
      expect(parseRingCentralNotification(json)).toMatchObject({
        ok: false,
        error: expect.stringContaining('(root): '),
      })
    }
  })
})
