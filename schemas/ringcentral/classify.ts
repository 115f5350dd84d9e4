/**
 * @module schemas/ringcentral/classify
 * Which kind of RingCentral event a notification is, from the shape of its `event` filter path,
 * and the full parse: envelope first, then the body schema of that kind.
 *
 * The `event` string carries real account/extension ids (or `~`), sometimes the account path and
 * sometimes the extension path for the same subscription, and the filter's query string. So the
 * path is matched by shape, never compared to a configured filter.
 */
import type { z } from 'zod'
import { formatIssues, type ParseFailure } from '../issues.ts'
import { RingCentralEnvelope } from './envelope.ts'
import { RenewalReminderNotification } from './renewal-reminder.ts'
import { TelephonySessionNotification } from './telephony-session.ts'
import { VoicemailNotification } from './voicemail.ts'

/** The kinds of RingCentral events the gateway tells apart. */
export const ringCentralEventKinds = [
  'telephony-session',
  'voicemail',
  'subscription-reminder',
  'generic',
] as const
export type RingCentralEventKind = (typeof ringCentralEventKinds)[number]

// Optional origin (`https://platform.ringcentral.com`), then `/restapi/v1.0`; ids are any segment
// (`123`, `~`); an optional query string or fragment ends the path.
const prefix = String.raw`^(?:https?://[^/?#]+)?/restapi/v\d+(?:\.\d+)*`
const segment = '[^/?#]+'
const end = '/?(?:[?#].*)?$'

const telephonySessionPath = new RegExp(
  `${prefix}/account/${segment}(?:/extension/${segment})?/telephony/sessions${end}`,
  'i',
)
const voicemailPath = new RegExp(
  `${prefix}/account/${segment}/extension/${segment}/voicemail${end}`,
  'i',
)
const subscriptionPath = new RegExp(`${prefix}/subscription/${segment}${end}`, 'i')

/**
 * Classifies a notification by the shape of its `event` path. Anything not recognised is
 * `generic` (published with the envelope validated only).
 *
 * @example
 * ```ts
 * classifyRingCentralEvent({ event: '/restapi/v1.0/account/123/extension/456/telephony/sessions?direction=Inbound' })
 * // 'telephony-session'
 * classifyRingCentralEvent({ event: '/restapi/v1.0/subscription/~?threshold=120&interval=30' })
 * // 'subscription-reminder'
 * ```
 */
export const classifyRingCentralEvent = (
  envelope: Pick<RingCentralEnvelope, 'event'>,
): RingCentralEventKind => {
  const path = envelope.event.trim()
  if (telephonySessionPath.test(path)) return 'telephony-session'
  if (voicemailPath.test(path)) return 'voicemail'
  if (subscriptionPath.test(path)) return 'subscription-reminder'
  return 'generic'
}

/** A parsed notification, its envelope typed by kind. */
export type RingCentralNotification =
  | {
      readonly ok: true
      readonly kind: 'telephony-session'
      readonly envelope: TelephonySessionNotification
    }
  | { readonly ok: true; readonly kind: 'voicemail'; readonly envelope: VoicemailNotification }
  | {
      readonly ok: true
      readonly kind: 'subscription-reminder'
      readonly envelope: RenewalReminderNotification
    }
  | { readonly ok: true; readonly kind: 'generic'; readonly envelope: RingCentralEnvelope }

export type RingCentralParseResult = RingCentralNotification | ParseFailure

const failure = (what: string, error: z.ZodError): ParseFailure => ({
  ok: false,
  error: `${what}: ${formatIssues(error)}`,
})

/**
 * Validates a parsed JSON body as a RingCentral notification: the envelope, then the body schema
 * of its kind (`generic`: envelope only). Unknown fields are kept everywhere. Errors are one
 * readable line, e.g. `invalid telephony-session notification: body.parties[0].status.code: …`.
 *
 * @example
 * ```ts
 * const result = parseRingCentralNotification(JSON.parse(rawBody))
 * if (result.ok && result.kind === 'telephony-session') result.envelope.body.telephonySessionId
 * else if (!result.ok) park(result.error)
 * ```
 */
export const parseRingCentralNotification = (json: unknown): RingCentralParseResult => {
  const envelope = RingCentralEnvelope.safeParse(json)
  if (!envelope.success) return failure('invalid RingCentral envelope', envelope.error)
  const kind = classifyRingCentralEvent(envelope.data)
  switch (kind) {
    case 'telephony-session': {
      const parsed = TelephonySessionNotification.safeParse(json)
      return parsed.success
        ? { ok: true, kind, envelope: parsed.data }
        : failure(`invalid ${kind} notification`, parsed.error)
    }
    case 'voicemail': {
      const parsed = VoicemailNotification.safeParse(json)
      return parsed.success
        ? { ok: true, kind, envelope: parsed.data }
        : failure(`invalid ${kind} notification`, parsed.error)
    }
    case 'subscription-reminder': {
      const parsed = RenewalReminderNotification.safeParse(json)
      return parsed.success
        ? { ok: true, kind, envelope: parsed.data }
        : failure(`invalid ${kind} notification`, parsed.error)
    }
    case 'generic':
      return { ok: true, kind, envelope: envelope.data }
  }
}
