/**
 * @module schemas/calls
 * The pipeline's own events, one zod schema per topic value:
 *   calls.completed   — call-tracker / reconciler → lead-matcher (key: telephonySessionId)
 *   calls.matched     — lead-matcher → recording-attacher, notifier (key: telephonySessionId)
 *   recordings.attached — recording-attacher → (audit, admin UI)
 * Every message also carries CloudEvents headers; `ce_id` is `call:<telephonySessionId>`
 * (completed), `matched:<id>`, `recording:<recordingId>`.
 */
import { z } from 'zod'

const E164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number like +14155550100')
const IsoTime = z.iso.datetime({ offset: true })

/** The party outside the company: the caller of an inbound call, the callee of an outbound one. */
export const CallParty = z.object({
  /** E.164 when RingCentral gave a dialable number; null for anonymous/withheld callers. */
  phoneNumber: E164.nullable(),
  name: z.string().optional(),
})
export type CallParty = z.infer<typeof CallParty>

export const CallResult = z.enum(['answered', 'missed', 'voicemail'])
export type CallResult = z.infer<typeof CallResult>

/**
 * A call that has really ended, with its call-log facts: published exactly once per call.
 *
 * @example
 * ```ts
 * CallCompleted.parse({
 *   telephonySessionId: 's-a1b2', direction: 'Inbound', result: 'missed',
 *   external: { phoneNumber: '+14155550100', name: 'ACME CORP' }, internal: { phoneNumber: '+16505550111' },
 *   extensionId: '2002', startTime: '2026-03-02T10:15:00.000Z', durationS: 0,
 *   voicemail: false, recording: null, callLogIds: ['Y3s0'], source: 'webhook',
 * })
 * ```
 */
export const CallCompleted = z.object({
  telephonySessionId: z.string().min(1),
  direction: z.enum(['Inbound', 'Outbound']),
  result: CallResult,
  /** The outside party: matched to a CRM person by its number. */
  external: CallParty,
  /** Our side: the number that was called (inbound) or that called out. */
  internal: CallParty,
  /** The extension that answered (inbound) or placed (outbound) the call, when known. */
  extensionId: z.string().nullable(),
  startTime: IsoTime,
  durationS: z.number().int().min(0),
  voicemail: z.boolean(),
  recording: z
    .object({ id: z.string().min(1), contentUri: z.url(), contentType: z.string().optional() })
    .nullable(),
  /** Call-log record ids of the session (several for transfers). */
  callLogIds: z.array(z.string()),
  /** How the call reached the pipeline: its webhooks, or the call-log reconciler. */
  source: z.enum(['webhook', 'reconciler', 'backfill']),
})
export type CallCompleted = z.infer<typeof CallCompleted>

/** What the lead-matcher did for a completed call. */
export const CallMatched = z.object({
  call: CallCompleted,
  person: z.object({
    module: z.enum(['Leads', 'Contacts']),
    id: z.string().min(1),
    ownerId: z.string().optional(),
    name: z.string().optional(),
  }),
  /** True when the lead was created for this call (a new caller). */
  createdLead: z.boolean(),
  crmCallId: z.string().min(1),
  crmNoteId: z.string().nullable(),
})
export type CallMatched = z.infer<typeof CallMatched>

export const RecordingAttached = z.object({
  telephonySessionId: z.string().min(1),
  recordingId: z.string().min(1),
  person: CallMatched.shape.person,
  attachmentId: z.string().min(1),
  bytes: z.number().int().min(0),
})
export type RecordingAttached = z.infer<typeof RecordingAttached>

/** The pipeline's topics. Each has `<name>.retry` and `<name>.dlq` beside it. */
export const callTopics = {
  callsCompleted: { name: 'calls.completed', value: CallCompleted, key: 'telephonySessionId' },
  callsMatched: { name: 'calls.matched', value: CallMatched, key: 'call.telephonySessionId' },
  recordingsAttached: {
    name: 'recordings.attached',
    value: RecordingAttached,
    key: 'telephonySessionId',
  },
} as const
