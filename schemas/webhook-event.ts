/**
 * @module schemas/webhook-event
 * The Kafka message values the gateway publishes: an accepted webhook on `<provider>.webhooks`,
 * a parked one (authentic but failing its schema) on `<provider>.webhooks.invalid`. `payload` is
 * the verified JSON exactly as received, unknown fields included.
 */
import { z } from 'zod'
import { RingCentralEnvelope } from './ringcentral/envelope.ts'
import { ZohoNotification } from './zoho/notification.ts'

/** Webhook providers. */
export const webhookProviders = ['ringcentral', 'zoho'] as const
export const WebhookProvider = z.enum(webhookProviders)
export type WebhookProvider = z.infer<typeof WebhookProvider>

const ReceivedAt = z.iso.datetime({ offset: true })

/**
 * An accepted RingCentral notification. `kind` is a `RingCentralEventKind`
 * (`telephony-session`, `voicemail`, `subscription-reminder`, `generic`); consumers should ignore
 * kinds they do not know. `payload.body` is validated by the gateway for its kind.
 *
 * @example
 * ```ts
 * RingCentralWebhookEvent.parse({
 *   provider: 'ringcentral',
 *   kind: 'telephony-session',
 *   receivedAt: '2026-03-02T10:15:00.250Z',
 *   dedupKey: 'rc:7719630154127011843',
 *   payload: telephonySessionNotification({ uuid: '7719630154127011843' }),
 * })
 * ```
 */
export const RingCentralWebhookEvent = z.object({
  provider: z.literal('ringcentral'),
  kind: z.string().min(1),
  /** When the gateway received the request (ISO 8601). */
  receivedAt: ReceivedAt,
  dedupKey: z.string().min(1),
  payload: RingCentralEnvelope,
})
export type RingCentralWebhookEvent = z.infer<typeof RingCentralWebhookEvent>

/**
 * An accepted Zoho CRM notification. `kind` is `<module>.<operation>`, e.g. `Leads.insert`.
 *
 * @example
 * ```ts
 * ZohoWebhookEvent.parse({
 *   provider: 'zoho',
 *   kind: 'Leads.insert',
 *   receivedAt: '2026-03-02T10:15:00.250Z',
 *   dedupKey: 'zoho:1000000068001:insert:4876876000001234001:1772446500123',
 *   payload: zohoNotification({ ids: ['4876876000001234001'] }),
 * })
 * ```
 */
export const ZohoWebhookEvent = z.object({
  provider: z.literal('zoho'),
  kind: z.string().min(1),
  receivedAt: ReceivedAt,
  dedupKey: z.string().min(1),
  payload: ZohoNotification,
})
export type ZohoWebhookEvent = z.infer<typeof ZohoWebhookEvent>

/**
 * Any accepted webhook, discriminated by `provider`.
 *
 * @example
 * ```ts
 * const event = WebhookEvent.parse(JSON.parse(message.value.toString()))
 * if (event.provider === 'ringcentral') event.payload.uuid
 * ```
 */
export const WebhookEvent = z.discriminatedUnion('provider', [
  RingCentralWebhookEvent,
  ZohoWebhookEvent,
])
export type WebhookEvent = z.infer<typeof WebhookEvent>

/**
 * A parked webhook: authentic, but its payload failed the schema. `payload` is the parsed JSON as
 * received (any JSON value); `dedupKey` is present when one could be derived.
 *
 * @example
 * ```ts
 * InvalidWebhookEvent.parse({
 *   provider: 'zoho',
 *   receivedAt: '2026-03-02T10:15:00.250Z',
 *   error: 'invalid Zoho notification: ids: Too small: expected array to have >=1 items',
 *   payload: { module: 'Leads', operation: 'insert', ids: [] },
 * })
 * ```
 */
export const InvalidWebhookEvent = z.object({
  provider: WebhookProvider,
  receivedAt: ReceivedAt,
  dedupKey: z.string().min(1).optional(),
  /** Why the payload was rejected, one readable line. */
  error: z.string().min(1),
  payload: z.unknown(),
})
export type InvalidWebhookEvent = z.infer<typeof InvalidWebhookEvent>
