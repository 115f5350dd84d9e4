/**
 * @module consumers/call-tracker/fold
 * The pure fold of one telephony session's events into a {@link CallState}, and the end-of-call
 * rule ({@link callEnded}). Events arrive duplicated, out of order and with several
 * `Disconnected` per call (reference §3), so every party keeps the status of its HIGHEST sequence:
 * a lower sequence arriving later never overrides it, and the same sequence twice changes nothing.
 * The state is plain JSON (it lives in the kv store between events).
 */
import { z } from 'zod'
import type {
  CallParty,
  TelephonySessionBody,
} from '../../schemas/ringcentral/telephony-session.ts'

/** One party of the session with its latest status (by sequence). */
export const PartyState = z.object({
  id: z.string(),
  /** Sequence of the event that set `code`/`reason`. */
  sequence: z.number().int(),
  code: z.string(),
  reason: z.string().nullable(),
  extensionId: z.string().nullable(),
  direction: z.string().nullable(),
})
export type PartyState = z.infer<typeof PartyState>

/** Everything known about one call from its session events. */
export const CallState = z.object({
  telephonySessionId: z.string().min(1),
  parties: z.record(z.string(), PartyState),
  /** Sequences seen so far, ascending (duplicates recognised; capped at {@link maxSequences}). */
  sequences: z.array(z.number().int()),
  /** Taken from the lowest-sequence event: who called whom. */
  origin: z
    .object({
      sequence: z.number().int(),
      direction: z.enum(['Inbound', 'Outbound']),
      /** The outside number: `from` of an inbound call, `to` of an outbound one. */
      externalNumber: z.string().nullable(),
      externalName: z.string().nullable(),
    })
    .nullable(),
  /** The extension that answered last (a transfer target after a transfer). */
  answered: z.object({ extensionId: z.string(), sequence: z.number().int() }).nullable(),
  /** A party was flagged `missedCall`. */
  missed: z.boolean(),
  /** A party passed through status `VoiceMail`. */
  voicemail: z.boolean(),
  recordingIds: z.array(z.string()),
  firstEventTime: z.string().nullable(),
  lastEventTime: z.string().nullable(),
  /** Sticky: once the call has ended, late events of it (lower sequences) do not reopen it. */
  ended: z.boolean(),
})
export type CallState = z.infer<typeof CallState>

/** Most sequences remembered per session; a real call has a few dozen events. */
export const maxSequences = 1000

/**
 * `Disconnected` reasons after which the session goes on with another party (a transfer, a
 * pickup, a park, a redirect): not the end of the call by themselves.
 */
export const continuingReasons: ReadonlySet<string> = new Set([
  'BlindTransfer',
  'AttendedTransfer',
  'RccTransfer',
  'DtmfTransfer',
  'CallerInputRedirect',
  'CallFlip',
  'CallSwitch',
  'CallRedirected',
  'CallPark',
  'ParkLocation',
  'Pickup',
  'TakeOver',
])

/** A state with no events yet. */
export const emptyCallState = (telephonySessionId: string): CallState => ({
  telephonySessionId,
  parties: {},
  sequences: [],
  origin: null,
  answered: null,
  missed: false,
  voicemail: false,
  recordingIds: [],
  firstEventTime: null,
  lastEventTime: null,
  ended: false,
})

const isTerminal = (party: PartyState): boolean =>
  party.code === 'Disconnected' || party.code === 'Gone'

/** `Gone` (the party moved to another session) and transfer-like reasons continue elsewhere. */
const continuesElsewhere = (party: PartyState): boolean =>
  party.code === 'Gone' || (party.reason !== null && continuingReasons.has(party.reason))

/**
 * The end-of-call rule (reference §3, after docs/voice/call-log/states.md): the call has ended when
 * every known party is `Disconnected`/`Gone` AND one of them ended for good (a `Disconnected`
 * without a transfer-like reason) at a higher sequence than every transfer-like end. So a
 * `Disconnected` with `BlindTransfer` while the target is still unknown is not the end, but the
 * caller's plain `Disconnected` after it is, even if the target's own events are still on the way.
 */
const endRuleHolds = (state: CallState): boolean => {
  const parties = Object.values(state.parties)
  if (parties.length === 0 || !parties.every(isTerminal)) return false
  const finalEnd = Math.max(
    -Infinity,
    ...parties.filter((p) => !continuesElsewhere(p)).map((p) => p.sequence),
  )
  const lastHandOver = Math.max(
    -Infinity,
    ...parties.filter(continuesElsewhere).map((p) => p.sequence),
  )
  return finalEnd !== -Infinity && finalEnd > lastHandOver
}

/**
 * Whether the call has really ended (see {@link endRuleHolds}); sticky once a fold saw it.
 *
 * @example
 * ```ts
 * callEnded(foldEvents('s-1', bodies)) // true once the last party hung up
 * ```
 */
export const callEnded = (state: CallState): boolean => state.ended || endRuleHolds(state)

/** True when an event with this sequence was folded already (a duplicate delivery). */
export const seenSequence = (state: CallState, sequence: number): boolean =>
  state.sequences.includes(sequence)

const directionOf = (value: string | undefined): 'Inbound' | 'Outbound' | null =>
  value === 'Inbound' || value === 'Outbound' ? value : null

const addSequence = (sequences: readonly number[], sequence: number): number[] => {
  if (sequences.includes(sequence)) return [...sequences]
  const sorted = [...sequences, sequence].sort((a, b) => a - b)
  return sorted.length > maxSequences ? sorted.slice(sorted.length - maxSequences) : sorted
}

// Compared as instants: event times may carry different offsets.
const minTime = (a: string | null, b: string): string =>
  a === null || Date.parse(b) < Date.parse(a) ? b : a
const maxTime = (a: string | null, b: string): string =>
  a === null || Date.parse(b) > Date.parse(a) ? b : a

const foldParty = (state: CallState, party: CallParty, sequence: number): CallState => {
  const known = state.parties[party.id]
  const newer = known === undefined || sequence > known.sequence
  const partyState: PartyState = newer
    ? {
        id: party.id,
        sequence,
        code: party.status.code,
        reason: party.status.reason ?? null,
        extensionId: party.extensionId ?? party.to?.extensionId ?? known?.extensionId ?? null,
        direction: party.direction ?? known?.direction ?? null,
      }
    : known
  const direction = directionOf(party.direction)
  const origin =
    direction !== null && (state.origin === null || sequence < state.origin.sequence)
      ? {
          sequence,
          direction,
          externalNumber:
            (direction === 'Inbound' ? party.from?.phoneNumber : party.to?.phoneNumber) ?? null,
          externalName: (direction === 'Inbound' ? party.from?.name : party.to?.name) ?? null,
        }
      : state.origin
  const answeringExtension = party.extensionId ?? party.to?.extensionId
  const answered =
    party.status.code === 'Answered' &&
    answeringExtension !== undefined &&
    (state.answered === null || sequence > state.answered.sequence)
      ? { extensionId: answeringExtension, sequence }
      : state.answered
  const recordings = (party.recordings ?? []).map((r) => r.id)
  return {
    ...state,
    parties: { ...state.parties, [party.id]: partyState },
    origin,
    answered,
    missed: state.missed || party.missedCall === true,
    voicemail: state.voicemail || party.status.code === 'VoiceMail',
    recordingIds: [...new Set([...state.recordingIds, ...recordings])],
  }
}

/**
 * Folds one event body of the session into `state` (which must be of the same session).
 * Idempotent: folding the same body again returns an equal state.
 *
 * @example
 * ```ts
 * let state = emptyCallState(body.telephonySessionId)
 * state = foldEvent(state, body)
 * if (callEnded(state)) fetchCallLog(state.telephonySessionId)
 * ```
 */
export const foldEvent = (state: CallState, body: TelephonySessionBody): CallState => {
  if (body.telephonySessionId !== state.telephonySessionId) {
    throw new RangeError(
      `event of session ${body.telephonySessionId} folded into ${state.telephonySessionId}`,
    )
  }
  let next: CallState = {
    ...state,
    sequences: addSequence(state.sequences, body.sequence),
    firstEventTime: minTime(state.firstEventTime, body.eventTime),
    lastEventTime: maxTime(state.lastEventTime, body.eventTime),
  }
  for (const party of body.parties) next = foldParty(next, party, body.sequence)
  return { ...next, ended: callEnded(next) }
}

/** Folds several bodies of one session, in the order given. */
export const foldEvents = (
  telephonySessionId: string,
  bodies: readonly TelephonySessionBody[],
): CallState => bodies.reduce(foldEvent, emptyCallState(telephonySessionId))
