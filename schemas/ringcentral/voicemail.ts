/**
 * @module schemas/ringcentral/voicemail
 * Body of a voicemail message event (`/restapi/v1.0/account/{a}/extension/{e}/voicemail`). Only
 * the message `id` is required: the rest varies (anonymous callers have no number, the
 * transcription arrives later), and a consumer can always fetch the message by id.
 */
import { z } from 'zod'
import { RingCentralEnvelope } from './envelope.ts'

/**
 * Message `type` values seen for voicemail: the event spec says `Voicemail`, the message store says
 * `VoiceMail`. Both, and anything else, are accepted as strings.
 */
export const voicemailMessageTypes = ['Voicemail', 'VoiceMail'] as const

/**
 * Known `vmTranscriptionStatus` values (message-store API). Others are accepted as strings.
 */
export const voicemailTranscriptionStatuses = [
  'NotAvailable',
  'InProgress',
  'TimedOut',
  'Completed',
  'CompletedPartially',
  'Failed',
  'Unknown',
] as const

/**
 * Sender or receiver of a voicemail.
 *
 * @example
 * ```ts
 * VoicemailParty.parse({ phoneNumber: '+15550111', name: 'Pat Caller', location: 'Austin, TX' })
 * ```
 */
export const VoicemailParty = z.looseObject({
  phoneNumber: z.string().optional(),
  extensionNumber: z.string().optional(),
  extensionId: z.string().optional(),
  name: z.string().optional(),
  location: z.string().optional(),
  /** In `to`: true when the message was sent exactly to this recipient. */
  target: z.boolean().optional(),
})
export type VoicemailParty = z.infer<typeof VoicemailParty>

/**
 * An attachment: the audio recording, or the transcription once it exists.
 *
 * @example
 * ```ts
 * VoicemailAttachment.parse({ id: 61002, type: 'AudioRecording', contentType: 'audio/mpeg', vmDuration: 21 })
 * ```
 */
export const VoicemailAttachment = z.looseObject({
  /** An integer in the spec; some SDKs model it as a string. Both are accepted. */
  id: z.union([z.number().int(), z.string().min(1)]),
  uri: z.string().optional(),
  type: z.string().optional(),
  contentType: z.string().optional(),
  /** Voicemail duration in seconds. */
  vmDuration: z.number().optional(),
  fileName: z.string().optional(),
  size: z.number().optional(),
})
export type VoicemailAttachment = z.infer<typeof VoicemailAttachment>

/**
 * Body of a voicemail message event.
 *
 * @example
 * ```ts
 * VoicemailBody.parse({
 *   id: '9120004412',
 *   type: 'VoiceMail',
 *   from: { phoneNumber: '+15550111' },
 *   to: [{ name: 'Front desk', extensionNumber: '101' }],
 *   attachments: [{ id: 61002, type: 'AudioRecording', contentType: 'audio/mpeg' }],
 *   vmTranscriptionStatus: 'InProgress',
 * })
 * ```
 */
export const VoicemailBody = z.looseObject({
  /** Message id in the message store. */
  id: z.string().min(1),
  type: z.string().optional(),
  from: VoicemailParty.optional(),
  to: z.array(VoicemailParty).optional(),
  subject: z.string().optional(),
  attachments: z.array(VoicemailAttachment).optional(),
  direction: z.string().optional(),
  creationTime: z.iso.datetime({ offset: true }).optional(),
  lastModifiedTime: z.iso.datetime({ offset: true }).optional(),
  readStatus: z.string().optional(),
  priority: z.string().optional(),
  availability: z.string().optional(),
  messageStatus: z.string().optional(),
  conversationId: z.string().optional(),
  vmTranscriptionStatus: z.string().optional(),
})
export type VoicemailBody = z.infer<typeof VoicemailBody>

/**
 * A whole voicemail notification: the envelope with a {@link VoicemailBody}.
 *
 * @example
 * ```ts
 * VoicemailNotification.parse(voicemailNotification({ messageId: '9120004412' }))
 * ```
 */
export const VoicemailNotification = RingCentralEnvelope.extend({ body: VoicemailBody })
export type VoicemailNotification = z.infer<typeof VoicemailNotification>
