/**
 * @module consumers/lead-matcher/activity
 * The Calls-module record and the note for a completed call (pure). Voicemail and missed inbound
 * calls are `Missed`; an outbound call stays `Outbound` even unanswered (Zoho's `Missed` means a
 * call we did not pick up). The description carries every RingCentral id, so a record can be
 * traced back to the session, its call-log records and its recording; its first line, the session
 * marker, is how an unconfirmed Calls record or note is found again (./recover.ts).
 */
import type { CallActivity, CrmPerson } from '../../integrations/crm/port.ts'
import type { CallCompleted } from '../../schemas/calls.ts'

/** Zoho `Call_Type` of a call. */
export const callTypeOf = (call: CallCompleted): CallActivity['callType'] => {
  if (call.direction === 'Outbound') return 'Outbound'
  return call.result === 'answered' && !call.voicemail ? 'Inbound' : 'Missed'
}

/**
 * The subject, e.g. `Inbound call from +14155550100`, `Missed call from +14155550100 (voicemail)`,
 * `Outbound call to +14155550100 (no answer)`.
 */
export const subjectOf = (call: CallCompleted, e164: string): string => {
  const type = callTypeOf(call)
  if (type === 'Outbound') {
    return `Outbound call to ${e164}${call.result === 'answered' ? '' : ' (no answer)'}`
  }
  const voicemail = call.voicemail || call.result === 'voicemail'
  return `${type} call from ${e164}${voicemail ? ' (voicemail)' : ''}`
}

/**
 * The line that names the call's session in every description and note, e.g.
 * `RingCentral telephony session: s-1`: the CRM is searched for it to find an earlier attempt.
 */
export const sessionMarkerOf = (call: CallCompleted): string =>
  `RingCentral telephony session: ${call.telephonySessionId}`

/** The description: the call's facts and its RingCentral ids, one per line. */
export const descriptionOf = (call: CallCompleted): string =>
  [
    sessionMarkerOf(call),
    `RingCentral call log ids: ${call.callLogIds.length > 0 ? call.callLogIds.join(', ') : 'none'}`,
    `RingCentral recording id: ${call.recording?.id ?? 'none'}`,
    `Direction: ${call.direction}; result: ${call.result}${call.voicemail ? ' (voicemail)' : ''}`,
    `Duration: ${call.durationS} s`,
    `Extension: ${call.extensionId ?? 'unknown'}; our number: ${call.internal.phoneNumber ?? 'unknown'}`,
    ...(call.external.name ? [`Caller id: ${call.external.name}`] : []),
  ].join('\n')

/** What {@link callActivityOf} needs besides the call. */
export interface ActivityInput {
  readonly call: CallCompleted
  /** The external party's number (E.164). */
  readonly e164: string
  readonly person: CrmPerson
  /** Owner of the Calls record; absent lets Zoho assign the API user. */
  readonly ownerId: string | undefined
  /**
   * True when an earlier attempt may already have logged this call (its ledger claim was never
   * confirmed, and the CRM did not show it): the subject then names the session, so a twin, if
   * one appears after all, is easy to spot.
   */
  readonly uncertain: boolean
}

/**
 * The Calls record of a completed call. A missed call has duration 0 (Zoho counts talk time);
 * the real duration stays in the description.
 * @example
 * ```ts
 * callActivityOf({ call, e164: '+14155550100', person, ownerId: undefined, uncertain: false })
 * ```
 */
export const callActivityOf = ({
  call,
  e164,
  person,
  ownerId,
  uncertain,
}: ActivityInput): CallActivity => {
  const callType = callTypeOf(call)
  const subject = subjectOf(call, e164)
  return {
    person,
    subject: uncertain ? `${subject} [RingCentral session ${call.telephonySessionId}]` : subject,
    callType,
    startTime: call.startTime,
    durationS: callType === 'Missed' ? 0 : call.durationS,
    description: descriptionOf(call),
    ...(ownerId ? { ownerId } : {}),
  }
}

/** The note added to the person when notes are on. */
export const noteOf = (call: CallCompleted, e164: string): { title: string; content: string } => ({
  title: subjectOf(call, e164),
  content: `${subjectOf(call, e164)} at ${call.startTime}.\n${descriptionOf(call)}`,
})
