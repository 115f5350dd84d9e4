/**
 * @module schemas/cloudevents
 * CloudEvents 1.0 attributes as Kafka headers (binary content mode of the Kafka protocol binding:
 * `ce_` prefix, the message value is the event data), and the naming conventions for `type` and
 * `source`. The gateway uses the dedup key as `ce_id` and the receive time as `ce_time`.
 */
import type { RingCentralEventKind } from './ringcentral/classify.ts'
import type { RingCentralEnvelope } from './ringcentral/envelope.ts'
import type { ZohoNotification } from './zoho/notification.ts'

export interface CloudEventAttributes {
  /** Unique per source; the dedup key, so a redelivery carries the same id. */
  readonly id: string
  /** URI-reference of the producer, e.g. `/ringcentral/subscription/<id>`. */
  readonly source: string
  /** Reverse-DNS event type, e.g. `com.ringcentral.telephony-session`. */
  readonly type: string
  /** ISO 8601 (RFC 3339) time of the occurrence. */
  readonly time: string
}

export interface CloudEventHeaders {
  readonly ce_specversion: '1.0'
  readonly ce_id: string
  readonly ce_source: string
  readonly ce_type: string
  readonly ce_time: string
}

/**
 * Kafka headers for one event.
 *
 * @example
 * ```ts
 * cloudEventHeaders({ id: 'rc:77196', source: '/ringcentral/subscription/b3a1', type: 'com.ringcentral.voicemail', time: '2026-03-02T10:15:00.250Z' })
 * // { ce_specversion: '1.0', ce_id: 'rc:77196', ce_source: '/ringcentral/subscription/b3a1', ce_type: 'com.ringcentral.voicemail', ce_time: '2026-03-02T10:15:00.250Z' }
 * ```
 */
export const cloudEventHeaders = ({
  id,
  source,
  type,
  time,
}: CloudEventAttributes): CloudEventHeaders => ({
  ce_specversion: '1.0',
  ce_id: id,
  ce_source: source,
  ce_type: type,
  ce_time: time,
})

/**
 * `com.ringcentral.<kind>`.
 *
 * @example
 * ```ts
 * ringCentralCloudEventType('telephony-session') // 'com.ringcentral.telephony-session'
 * ```
 */
export const ringCentralCloudEventType = (kind: RingCentralEventKind): string =>
  `com.ringcentral.${kind}`

/**
 * `/ringcentral/subscription/<subscriptionId>`; `unknown` stands in for a missing id.
 *
 * @example
 * ```ts
 * ringCentralCloudEventSource({ subscriptionId: 'b3a1' }) // '/ringcentral/subscription/b3a1'
 * ```
 */
export const ringCentralCloudEventSource = (
  envelope: Pick<RingCentralEnvelope, 'subscriptionId'>,
): string => `/ringcentral/subscription/${envelope.subscriptionId ?? 'unknown'}`

/**
 * `com.zoho.crm.<module>.<operation>`, module and operation as Zoho sent them.
 *
 * @example
 * ```ts
 * zohoCloudEventType({ module: 'Leads', operation: 'insert' }) // 'com.zoho.crm.Leads.insert'
 * ```
 */
export const zohoCloudEventType = (
  notification: Pick<ZohoNotification, 'module' | 'operation'>,
): string => `com.zoho.crm.${notification.module}.${notification.operation}`

/**
 * `/zoho/crm/channel/<channel_id>`.
 *
 * @example
 * ```ts
 * zohoCloudEventSource({ channel_id: 1000000068001 }) // '/zoho/crm/channel/1000000068001'
 * ```
 */
export const zohoCloudEventSource = (notification: Pick<ZohoNotification, 'channel_id'>): string =>
  `/zoho/crm/channel/${notification.channel_id}`
