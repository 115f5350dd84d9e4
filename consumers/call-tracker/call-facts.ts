/**
 * @module consumers/call-tracker/call-facts
 * Turns the call-log record(s) of one telephony session into the `calls.completed` value. The
 * call log is the source of truth for the facts (the session events are not: PSTN legs may be
 * missing, and they carry no duration or recording URI). Pure.
 *
 * Several records per session (transfers: one per extension leg) are combined like this:
 * - ordered by `startTime` (then id); the FIRST gives direction, outside and our number, start;
 * - `durationS` is the span from the first start to the latest end (legs of a blind transfer follow
 *   each other, so summing would count overlaps twice);
 * - `extensionId` is the extension of the last answered leg (who finally took the call), else the
 *   first record's extension;
 * - `result`: answered when any leg was answered; else voicemail when any leg went to voicemail
 *   (or the session events saw `VoiceMail`); else missed;
 * - `recording` is the one of the latest leg that has one; `callLogIds` lists every record.
 */
import { type CountryCode, isSupportedCountry, parsePhoneNumberWithError } from 'libphonenumber-js'
import type { CallLogParty, CallLogRecord } from '../../integrations/ringcentral/index.ts'
import { CallCompleted, type CallParty, type CallResult } from '../../schemas/calls.ts'
import { formatIssues } from '../../schemas/issues.ts'

/** How a completed call reached the pipeline (the value's `source`). */
export type CompletionSource = CallCompleted['source']

/** Call-log `result` values of a leg that was answered (compared case-insensitively). */
const answeredResults: ReadonlySet<string> = new Set([
  'accepted',
  'call connected',
  'answered elsewhere',
  'received',
  'reply',
])

/** A record still being written: its call has not ended yet. */
export const inProgress = (record: CallLogRecord): boolean =>
  record.result?.toLowerCase() === 'in progress'

const isAnswered = (record: CallLogRecord) =>
  answeredResults.has(record.result?.toLowerCase() ?? '')

/** `message.type` of a record that left a message (a voicemail: `VoiceMail`). */
const messageType = (record: CallLogRecord): string => {
  const message: unknown = record['message']
  return typeof message === 'object' && message !== null && 'type' in message
    ? String(message.type)
    : ''
}

const isVoicemail = (record: CallLogRecord) =>
  record.result?.toLowerCase() === 'voicemail' || /^voice ?mail$/i.test(messageType(record))

/** The region for numbers written without a country code; `US` when `region` is unknown. */
export const phoneRegion = (region: string | undefined): CountryCode => {
  const upper = region?.toUpperCase()
  return upper !== undefined && isSupportedCountry(upper) ? upper : 'US'
}

const e164Shape = /^\+[1-9]\d{1,14}$/

/**
 * A phone number in E.164, or null when there is none (anonymous callers, extension-only
 * parties). Numbers libphonenumber can read are normalised; a number it deems impossible but that
 * already has the E.164 shape is kept as it is (new ranges, test numbers): dropping it would lose
 * the caller.
 *
 * @example
 * ```ts
 * toE164('+1 (415) 555-0100', 'US') // '+14155550100'
 * toE164('anonymous', 'US') // null
 * ```
 */
export const toE164 = (text: string | undefined, region: CountryCode): string | null => {
  if (!text) return null
  try {
    const phone = parsePhoneNumberWithError(text, region)
    if (phone.isPossible()) return phone.number
  } catch {
    // not readable as a phone number: maybe still E.164-shaped below
  }
  const compact = text.replace(/[\s().-]/g, '')
  return e164Shape.test(compact) ? compact : null
}

const partyOf = (party: CallLogParty | undefined, region: CountryCode): CallParty => ({
  phoneNumber: toE164(party?.phoneNumber, region),
  ...(party?.name ? { name: party.name } : {}),
})

const byStart = (a: CallLogRecord, b: CallLogRecord) =>
  Date.parse(a.startTime) - Date.parse(b.startTime) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

const endMs = (record: CallLogRecord) =>
  Date.parse(record.startTime) + (record.durationMs ?? (record.duration ?? 0) * 1000)

/** When the last of `records` ended (start + duration), epoch ms; NaN for unreadable times. */
export const lastEndMs = (records: readonly CallLogRecord[]): number =>
  Math.max(...records.map(endMs))

/** What the session events add to the call log (a voicemail the log calls `Missed`). */
export interface SessionHints {
  readonly voicemail?: boolean
}

export interface CallFactsInput {
  readonly telephonySessionId: string
  /** The session's records (any order; deleted ones are ignored). */
  readonly records: readonly CallLogRecord[]
  readonly source: CompletionSource
  readonly hints?: SessionHints
  readonly region: CountryCode
}

export type CallFactsResult =
  | { readonly ok: true; readonly call: CallCompleted }
  | { readonly ok: false; readonly error: string }

/**
 * Builds the `calls.completed` value, validated against its schema.
 *
 * @example
 * ```ts
 * const facts = callFacts({ telephonySessionId, records, source: 'webhook', region: 'US' })
 * if (facts.ok) await publishCompleted(bus, facts.call)
 * ```
 */
export const callFacts = ({
  telephonySessionId,
  records,
  source,
  hints = {},
  region,
}: CallFactsInput): CallFactsResult => {
  const legs = records.filter((r) => r.deleted !== true).sort(byStart)
  const first = legs[0]
  if (first === undefined) return { ok: false, error: 'no call-log record' }
  const inbound = first.direction === 'Inbound'
  const answeredLegs = legs.filter(isAnswered)
  const answered = answeredLegs.length > 0
  const voicemail = !answered && (legs.some(isVoicemail) || hints.voicemail === true)
  const result: CallResult = answered ? 'answered' : voicemail ? 'voicemail' : 'missed'
  const startMs = Date.parse(first.startTime)
  const lastEnd = lastEndMs(legs)
  const recorded = legs.filter((r) => r.recording !== undefined).at(-1)?.recording
  const extensionId = (answeredLegs.at(-1) ?? first).extension?.id ?? null
  const candidate = {
    telephonySessionId,
    direction: first.direction,
    result,
    external: partyOf(inbound ? first.from : first.to, region),
    internal: partyOf(inbound ? first.to : first.from, region),
    extensionId,
    startTime: Number.isNaN(startMs) ? first.startTime : new Date(startMs).toISOString(),
    durationS: Number.isNaN(lastEnd - startMs)
      ? 0
      : Math.max(0, Math.round((lastEnd - startMs) / 1000)),
    voicemail,
    recording: recorded ? { id: recorded.id, contentUri: recorded.contentUri } : null,
    callLogIds: legs.map((r) => r.id),
    source,
  }
  const parsed = CallCompleted.safeParse(candidate)
  return parsed.success
    ? { ok: true, call: parsed.data }
    : {
        ok: false,
        error: `call-log records do not make a valid call: ${formatIssues(parsed.error)}`,
      }
}
