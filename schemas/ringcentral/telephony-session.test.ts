import { describe, expect, it } from 'vitest'
import { telephonySessionNotification } from '../fixtures/ringcentral.ts'
import {
  CallParty,
  callStatusCodes,
  isKnownCallStatusCode,
  TelephonySessionBody,
  TelephonySessionNotification,
} from './telephony-session.ts'

describe('TelephonySessionBody', () => {
  it('accepts every known status code', () => {
    for (const code of callStatusCodes) {
      const { body } = telephonySessionNotification({ status: code })
      expect(TelephonySessionBody.safeParse(body).success).toBe(true)
    }
  })

  it('accepts a status code it does not know, so a new code never parks an event', () => {
    const { body } = telephonySessionNotification({ status: 'Teleporting' })
    expect(TelephonySessionBody.parse(body).parties[0]?.status.code).toBe('Teleporting')
    expect(isKnownCallStatusCode('Teleporting')).toBe(false)
    expect(isKnownCallStatusCode('Answered')).toBe(true)
  })

  it('accepts unknown direction and origin values', () => {
    const { body } = telephonySessionNotification({ direction: 'Sideways', originType: 'Hologram' })
    expect(TelephonySessionBody.safeParse(body).success).toBe(true)
  })

  it('keeps unknown fields in the body, the parties, the status and the endpoints', () => {
    const input = telephonySessionNotification({
      bodyExtra: { futureField: { nested: true } },
      status: {
        code: 'Gone',
        peerId: { telephonySessionId: 's-other', partyId: 'p-9' },
        mobilePickupData: { sid: 'x' },
      },
      from: { phoneNumber: '+15550111', carrier: 'ACME' },
      recordings: [{ id: 'r-1', active: true }],
    })
    const parsed = TelephonySessionNotification.parse(input)
    expect(parsed).toEqual(input)
    expect(parsed.body).toHaveProperty('futureField', { nested: true })
    expect(parsed.body.parties[0]?.status).toHaveProperty('mobilePickupData', { sid: 'x' })
    expect(parsed.body.parties[0]?.from).toHaveProperty('carrier', 'ACME')
  })

  it('accepts a party with only an id and a status code', () => {
    expect(CallParty.safeParse({ id: 'p-1', status: { code: 'Setup' } }).success).toBe(true)
  })

  it('accepts several parties and an empty party list', () => {
    const base = telephonySessionNotification()
    const party = base.body.parties[0]
    expect(
      TelephonySessionBody.safeParse({ ...base.body, parties: [party, { ...party, id: 'p-2' }] })
        .success,
    ).toBe(true)
    expect(TelephonySessionBody.safeParse({ ...base.body, parties: [] }).success).toBe(true)
  })

  it('rejects a fractional or string sequence, a missing session id, or a bad eventTime', () => {
    const { body } = telephonySessionNotification()
    expect(TelephonySessionBody.safeParse({ ...body, sequence: 1.5 }).success).toBe(false)
    expect(TelephonySessionBody.safeParse({ ...body, sequence: '3' }).success).toBe(false)
    expect(TelephonySessionBody.safeParse({ ...body, telephonySessionId: undefined }).success).toBe(
      false,
    )
    expect(TelephonySessionBody.safeParse({ ...body, eventTime: 'now' }).success).toBe(false)
  })

  it('rejects a party without a status code or with a malformed recording', () => {
    const { body } = telephonySessionNotification()
    const party = body.parties[0]
    expect(
      TelephonySessionBody.safeParse({ ...body, parties: [{ ...party, status: {} }] }).success,
    ).toBe(false)
    expect(
      TelephonySessionBody.safeParse({
        ...body,
        parties: [{ ...party, recordings: [{ id: 'r-1' }] }],
      }).success,
    ).toBe(false)
  })
})
