import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { telephonySessionNotification } from '../../schemas/fixtures/ringcentral.ts'
import type {
  CallParty,
  TelephonySessionBody,
} from '../../schemas/ringcentral/telephony-session.ts'
import { callEnded, emptyCallState, foldEvent, foldEvents } from './fold.ts'

const SESSION = 's-fold0001'
const CALLER = '+15550111'
const OUR_NUMBER = '+15550100'

type Who = 'caller' | 'desk' | 'target'
const partyIds: Record<Who, string> = { caller: 'p-1', desk: 'p-2', target: 'p-3' }
const extensions: Record<Who, string | undefined> = {
  caller: undefined,
  desk: '2002',
  target: '2003',
}

/** One event of an inbound call to OUR_NUMBER: `who` changed to `code`. */
const event = (
  sequence: number,
  who: Who,
  code: string,
  extra: Partial<Pick<CallParty, 'missedCall' | 'recordings'>> & { reason?: string } = {},
): TelephonySessionBody => {
  const { reason, ...party } = extra
  const extensionId = extensions[who]
  return telephonySessionNotification({
    sequence,
    telephonySessionId: SESSION,
    parties: [
      {
        id: partyIds[who],
        direction: 'Inbound',
        from: { phoneNumber: CALLER, name: 'Pat Caller' },
        to: { phoneNumber: OUR_NUMBER, ...(extensionId ? { extensionId } : {}) },
        ...(extensionId ? { extensionId } : {}),
        status: { code, ...(reason ? { reason } : {}) },
        ...party,
      },
    ],
  }).body
}

/** Inbound, answered by the desk, caller hangs up last. */
const answered = [
  event(1, 'caller', 'Setup'),
  event(2, 'desk', 'Setup'),
  event(3, 'desk', 'Proceeding'),
  event(4, 'caller', 'Answered'),
  event(5, 'desk', 'Answered', { recordings: [{ id: 'rec-1', active: true }] }),
  event(6, 'desk', 'Disconnected'),
  event(7, 'caller', 'Disconnected'),
]

/** Inbound, the desk blind-transfers to the target, who talks, then both hang up. */
const transferred = [
  event(1, 'caller', 'Setup'),
  event(2, 'desk', 'Setup'),
  event(3, 'caller', 'Answered'),
  event(4, 'desk', 'Answered'),
  event(5, 'desk', 'Disconnected', { reason: 'BlindTransfer' }),
  event(6, 'target', 'Setup'),
  event(7, 'target', 'Answered'),
  event(8, 'target', 'Disconnected'),
  event(9, 'caller', 'Disconnected'),
]

describe('foldEvent', () => {
  it('folds an answered call: parties, direction, outside number, answering extension, recording', () => {
    const state = foldEvents(SESSION, answered)
    expect(state.parties['p-2']).toMatchObject({ code: 'Disconnected', sequence: 6 })
    expect(state.origin).toEqual({
      sequence: 1,
      direction: 'Inbound',
      externalNumber: CALLER,
      externalName: 'Pat Caller',
    })
    expect(state.answered).toEqual({ extensionId: '2002', sequence: 5 })
    expect(state.recordingIds).toEqual(['rec-1'])
    expect(state.sequences).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(state.missed).toBe(false)
    expect(callEnded(state)).toBe(true)
  })

  it('changes nothing when the same event arrives twice', () => {
    const once = foldEvents(SESSION, answered.slice(0, 4))
    const fourth = answered[3]
    if (!fourth) throw new Error('fixture')
    expect(foldEvent(once, fourth)).toEqual(once)
  })

  it('never lets a lower sequence arriving late override a party’s later status', () => {
    const disconnected = foldEvents(
      SESSION,
      [answered[5], answered[2]].flatMap((e) => e ?? []),
    )
    expect(disconnected.parties['p-2']).toMatchObject({ code: 'Disconnected', sequence: 6 })
  })

  it('gives the same state for any arrival order, with duplicates, and always ends', () => {
    const inOrder = foldEvents(SESSION, answered)
    fc.assert(
      fc.property(
        fc.shuffledSubarray(answered, { minLength: answered.length }),
        fc.array(fc.constantFrom(...answered), { maxLength: 4 }),
        (shuffled, duplicates) => {
          const state = foldEvents(SESSION, [...shuffled, ...duplicates])
          expect(state).toEqual(inOrder)
        },
      ),
    )
  })

  it('rejects an event of another session', () => {
    const other = { ...event(1, 'caller', 'Setup'), telephonySessionId: 's-other' }
    expect(() => foldEvent(emptyCallState(SESSION), other)).toThrow(RangeError)
  })
})

describe('callEnded', () => {
  it('is false while any known party is still on the call', () => {
    expect(callEnded(foldEvents(SESSION, answered.slice(0, 6)))).toBe(false)
    expect(callEnded(emptyCallState(SESSION))).toBe(false)
  })

  it('ends on the first Disconnected when it is the only party known, and stays ended after more Disconnected', () => {
    const desk = answered[5]
    const caller = answered[6]
    if (!desk || !caller) throw new Error('fixture')
    const first = foldEvent(emptyCallState(SESSION), desk)
    expect(callEnded(first)).toBe(true)
    expect(callEnded(foldEvent(foldEvent(first, caller), caller))).toBe(true)
  })

  it('does not end on a BlindTransfer disconnect while the target continues', () => {
    expect(callEnded(foldEvents(SESSION, transferred.slice(0, 5)))).toBe(false)
    expect(callEnded(foldEvents(SESSION, transferred.slice(0, 7)))).toBe(false)
    const ended = foldEvents(SESSION, transferred)
    expect(callEnded(ended)).toBe(true)
    expect(ended.answered).toEqual({ extensionId: '2003', sequence: 7 })
  })

  it('does not end when the only known end is a transfer, even if every known party is gone', () => {
    const transfer = transferred[4]
    if (!transfer) throw new Error('fixture')
    expect(callEnded(foldEvents(SESSION, [transfer]))).toBe(false)
  })

  it('ends on the caller’s plain disconnect after a transfer, and late target events do not reopen it', () => {
    const [early, late] = [
      [transferred[0], transferred[4], transferred[8]],
      [transferred[5], transferred[6]],
    ].map((events) => events.flatMap((e) => e ?? []))
    const ended = foldEvents(SESSION, early ?? [])
    expect(callEnded(ended)).toBe(true)
    const afterLate = (late ?? []).reduce(foldEvent, ended)
    expect(afterLate.parties['p-3']).toMatchObject({ code: 'Answered' })
    expect(callEnded(afterLate)).toBe(true)
  })

  it('marks a missed call', () => {
    const missed = foldEvents(SESSION, [
      event(1, 'caller', 'Setup'),
      event(2, 'desk', 'Setup'),
      event(3, 'desk', 'Proceeding'),
      event(4, 'desk', 'Disconnected', { missedCall: true }),
      event(5, 'caller', 'Disconnected'),
    ])
    expect(missed).toMatchObject({ missed: true, voicemail: false, answered: null })
    expect(callEnded(missed)).toBe(true)
  })

  it('marks a voicemail as missed and voicemail', () => {
    const voicemail = foldEvents(SESSION, [
      event(1, 'caller', 'Setup'),
      event(2, 'desk', 'Setup'),
      event(3, 'desk', 'Proceeding'),
      event(4, 'desk', 'VoiceMail', { missedCall: true }),
      event(5, 'desk', 'Disconnected', { missedCall: true }),
      event(6, 'caller', 'Disconnected'),
    ])
    expect(voicemail).toMatchObject({ missed: true, voicemail: true })
    expect(callEnded(voicemail)).toBe(true)
  })
})
