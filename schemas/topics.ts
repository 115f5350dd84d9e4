/**
 * @module schemas/topics
 * The Kafka topics the gateway publishes to: name, value schema and how messages are keyed.
 * Messages with one key land on one partition and are consumed in publish order.
 */
import { sortedZohoIds } from './dedup-key.ts'
import type { RingCentralEnvelope } from './ringcentral/envelope.ts'
import { InvalidWebhookEvent, RingCentralWebhookEvent, ZohoWebhookEvent } from './webhook-event.ts'
import type { ZohoNotification } from './zoho/notification.ts'

/**
 * The topic registry.
 *
 * @example
 * ```ts
 * const event = topics.ringcentralWebhooks.value.parse(JSON.parse(message.value.toString()))
 * ```
 */
export const topics = {
  ringcentralWebhooks: {
    name: 'ringcentral.webhooks',
    value: RingCentralWebhookEvent,
    key: 'ringCentralMessageKey: body.telephonySessionId when present (all events of one call in order), else the envelope uuid',
  },
  ringcentralWebhooksInvalid: {
    name: 'ringcentral.webhooks.invalid',
    value: InvalidWebhookEvent,
    key: 'the envelope uuid when the payload has a non-empty string one, else "unknown"',
  },
  zohoWebhooks: {
    name: 'zoho.webhooks',
    value: ZohoWebhookEvent,
    key: 'zohoMessageKey: <module>:<smallest id> (events of one record in order)',
  },
  zohoWebhooksInvalid: {
    name: 'zoho.webhooks.invalid',
    value: InvalidWebhookEvent,
    key: 'the channel_id as a string when present, else "unknown"',
  },
} as const

export type TopicId = keyof typeof topics

/** Topic names by id, e.g. `topicNames.zohoWebhooks === 'zoho.webhooks'`. */
export const topicNames: { readonly [K in TopicId]: (typeof topics)[K]['name'] } = {
  ringcentralWebhooks: topics.ringcentralWebhooks.name,
  ringcentralWebhooksInvalid: topics.ringcentralWebhooksInvalid.name,
  zohoWebhooks: topics.zohoWebhooks.name,
  zohoWebhooksInvalid: topics.zohoWebhooksInvalid.name,
}

/**
 * Kafka key for a RingCentral notification: `body.telephonySessionId` when it is a non-empty
 * string (every event of one call on one partition, in order), else the envelope `uuid`.
 *
 * @example
 * ```ts
 * ringCentralMessageKey({ uuid: '77196', body: { telephonySessionId: 's-5e2c0a1b' } }) // 's-5e2c0a1b'
 * ringCentralMessageKey({ uuid: '77196', body: { expiresIn: 540 } }) // '77196'
 * ```
 */
export const ringCentralMessageKey = (
  envelope: Pick<RingCentralEnvelope, 'uuid' | 'body'>,
): string => {
  const { telephonySessionId: sessionId } = envelope.body
  return typeof sessionId === 'string' && sessionId.length > 0 ? sessionId : envelope.uuid
}

/**
 * Kafka key for a Zoho notification: `<module>:<first id in sorted order>`, so events about one
 * record stay in order (for single-record callbacks, the usual case).
 *
 * @example
 * ```ts
 * zohoMessageKey({ module: 'Leads', ids: ['30', '4'] }) // 'Leads:30'
 * ```
 */
export const zohoMessageKey = (notification: Pick<ZohoNotification, 'module' | 'ids'>): string =>
  `${notification.module}:${sortedZohoIds(notification.ids)[0] ?? ''}`
