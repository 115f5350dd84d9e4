import { describe, expect, it } from 'vitest'
import { callActivityOf, callTypeOf, subjectOf } from './activity.ts'
import { completedCall } from './testing.ts'

const e164 = '+14155550100'
const person = { module: 'Leads', id: '4876876000000000001' } as const

describe('call activity', () => {
  it('types answered inbound calls Inbound, missed calls and voicemail Missed, outbound calls Outbound', () => {
    expect(callTypeOf(completedCall(e164))).toBe('Inbound')
    expect(callTypeOf(completedCall(e164, { result: 'missed' }))).toBe('Missed')
    expect(callTypeOf(completedCall(e164, { result: 'voicemail', voicemail: true }))).toBe('Missed')
    expect(callTypeOf(completedCall(e164, { direction: 'Outbound', result: 'missed' }))).toBe(
      'Outbound',
    )
    expect(subjectOf(completedCall(e164, { direction: 'Outbound', result: 'missed' }), e164)).toBe(
      `Outbound call to ${e164} (no answer)`,
    )
  })

  it('logs a missed call with no talk time, and names the session when an earlier attempt is unconfirmed', () => {
    const call = completedCall(e164, { result: 'missed', durationS: 31 })
    const activity = callActivityOf({ call, e164, person, ownerId: '42', uncertain: true })
    expect(activity).toMatchObject({
      callType: 'Missed',
      durationS: 0,
      ownerId: '42',
      subject: `Missed call from ${e164} [RingCentral session ${call.telephonySessionId}]`,
    })
    expect(activity.description).toContain('Duration: 31 s')
  })
})
