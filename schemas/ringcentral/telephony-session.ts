/**
 * @module schemas/ringcentral/telephony-session
 * Body of a telephony session event (`…/telephony/sessions` filters, account or extension level).
 * Enumerated fields (`status.code`, `direction`, `origin.type`) are validated as strings: the known
 * values are listed below, but a value RingCentral adds later must never park an event.
 */
import { z } from 'zod'
import { RingCentralEnvelope } from './envelope.ts'

/** Known `status.code` values of a call party. Others are accepted as plain strings. */
export const callStatusCodes = [
  'Setup',
  'Proceeding',
  'Answered',
  'Disconnected',
  'Gone',
  'Parked',
  'Hold',
  'VoiceMail',
  'FaxReceive',
  'Tds',
  'VoiceMailScreening',
] as const
export type CallStatusCode = (typeof callStatusCodes)[number]

/** True when `code` is one of {@link callStatusCodes}. */
export const isKnownCallStatusCode = (code: string): code is CallStatusCode =>
  (callStatusCodes as readonly string[]).includes(code)

/** Known party directions. */
export const callDirections = ['Inbound', 'Outbound'] as const
export type CallDirection = (typeof callDirections)[number]

/** Known `origin.type` values of a session. */
export const sessionOriginTypes = [
  'Call',
  'RingOut',
  'RingMe',
  'Conference',
  'GreetingsRecording',
  'VerificationCall',
  'Zoom',
  'CallOut',
  'TestCall',
] as const
export type SessionOriginType = (typeof sessionOriginTypes)[number]

/**
 * One end of a call as seen by a party (`from` / `to`).
 *
 * @example
 * ```ts
 * CallPartyEndpoint.parse({ phoneNumber: '+15550100', name: 'Front desk', extensionId: '2002' })
 * ```
 */
export const CallPartyEndpoint = z.looseObject({
  /** E.164 with a leading `+`, or an internal short number. */
  phoneNumber: z.string().optional(),
  name: z.string().optional(),
  extensionId: z.string().optional(),
  deviceId: z.string().optional(),
})
export type CallPartyEndpoint = z.infer<typeof CallPartyEndpoint>

/**
 * Status of a party. `code` is any string (see {@link callStatusCodes}); `reason` explains some
 * transitions (e.g. `Disconnected` with `BlindTransfer` means the session goes on elsewhere).
 *
 * @example
 * ```ts
 * CallStatus.parse({ code: 'Disconnected', reason: 'BlindTransfer', rcc: false })
 * ```
 */
export const CallStatus = z.looseObject({
  code: z.string().min(1),
  reason: z.string().optional(),
  description: z.string().optional(),
  parkData: z.string().optional(),
  /** Present in `Gone`: where the party went. */
  peerId: z
    .looseObject({
      sessionId: z.string().optional(),
      telephonySessionId: z.string().optional(),
      partyId: z.string().optional(),
    })
    .optional(),
  rcc: z.boolean().optional(),
})
export type CallStatus = z.infer<typeof CallStatus>

/**
 * A call recording of a party.
 *
 * @example
 * ```ts
 * CallRecording.parse({ id: '4100023', active: true })
 * ```
 */
export const CallRecording = z.looseObject({
  id: z.string().min(1),
  /** True while recording, false when paused. */
  active: z.boolean(),
})
export type CallRecording = z.infer<typeof CallRecording>

/**
 * A participant of a telephony session.
 *
 * @example
 * ```ts
 * CallParty.parse({
 *   id: 'p-5e2c0a1b-1',
 *   direction: 'Inbound',
 *   from: { phoneNumber: '+15550111' },
 *   to: { phoneNumber: '+15550100', extensionId: '2002' },
 *   status: { code: 'Answered' },
 *   missedCall: false,
 * })
 * ```
 */
export const CallParty = z.looseObject({
  /** Party id, unique within the session. */
  id: z.string().min(1),
  accountId: z.string().optional(),
  extensionId: z.string().optional(),
  direction: z.string().optional(),
  from: CallPartyEndpoint.optional(),
  to: CallPartyEndpoint.optional(),
  status: CallStatus,
  recordings: z.array(CallRecording).optional(),
  missedCall: z.boolean().optional(),
  standAlone: z.boolean().optional(),
  muted: z.boolean().optional(),
  queueCall: z.boolean().optional(),
  conferenceRole: z.string().optional(),
  park: z.looseObject({}).optional(),
  sipData: z.looseObject({}).optional(),
})
export type CallParty = z.infer<typeof CallParty>

/**
 * Body of a telephony session event. `sequence` orders the events of one subscription; they can
 * arrive out of order, so consumers compare sequences rather than trusting arrival order.
 *
 * @example
 * ```ts
 * TelephonySessionBody.parse({
 *   sequence: 4,
 *   telephonySessionId: 's-5e2c0a1b',
 *   sessionId: '81230045001',
 *   eventTime: '2026-03-02T10:15:00.100Z',
 *   origin: { type: 'Call' },
 *   parties: [{ id: 'p-5e2c0a1b-1', direction: 'Inbound', status: { code: 'Answered' } }],
 * })
 * ```
 */
export const TelephonySessionBody = z.looseObject({
  sequence: z.number().int(),
  /** The session id used by the Telephony (call control) API; the per-call Kafka key. */
  telephonySessionId: z.string().min(1),
  /** Legacy call session id (the Call Log's `sessionId`). */
  sessionId: z.string().optional(),
  serverId: z.string().optional(),
  eventTime: z.iso.datetime({ offset: true }),
  origin: z.looseObject({ type: z.string().optional() }).optional(),
  parties: z.array(CallParty),
})
export type TelephonySessionBody = z.infer<typeof TelephonySessionBody>

/**
 * A whole telephony session notification: the envelope with a {@link TelephonySessionBody}.
 *
 * @example
 * ```ts
 * TelephonySessionNotification.parse(telephonySessionNotification({ sequence: 2 }))
 * ```
 */
export const TelephonySessionNotification = RingCentralEnvelope.extend({
  body: TelephonySessionBody,
})
export type TelephonySessionNotification = z.infer<typeof TelephonySessionNotification>
