/**
 * @module schemas/dedup-key
 * Keys that identify one delivery of one event, so a redelivery (provider retry, client replay)
 * is recognised as a duplicate. Also used as the CloudEvents `ce_id`.
 */
import type { RingCentralEnvelope } from './ringcentral/envelope.ts'
import type { ZohoNotification } from './zoho/notification.ts'

/**
 * `rc:<uuid>`: RingCentral gives every notification a unique `uuid`.
 *
 * @example
 * ```ts
 * ringCentralDedupKey({ uuid: '7719630154127011843' }) // 'rc:7719630154127011843'
 * ```
 */
export const ringCentralDedupKey = (envelope: Pick<RingCentralEnvelope, 'uuid'>): string =>
  `rc:${envelope.uuid}`

/** The ids as strings, sorted by UTF-16 code units: independent of the order Zoho lists them in. */
export const sortedZohoIds = (ids: ZohoNotification['ids']): string[] =>
  ids.map(String).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

/**
 * `zoho:<channel_id>:<operation>:<sorted ids, comma-separated>:<server_time>`. Zoho callbacks have
 * no id of their own; these fields identify one callback and do not depend on the order of `ids`
 * or on whether an id or the time came as a number or a string.
 *
 * @example
 * ```ts
 * zohoDedupKey({ channel_id: 1000000068001, operation: 'update', ids: ['30', '4'], server_time: 1772446500123 })
 * // 'zoho:1000000068001:update:30,4:1772446500123'
 * ```
 */
export const zohoDedupKey = (
  notification: Pick<ZohoNotification, 'channel_id' | 'operation' | 'ids' | 'server_time'>,
): string =>
  `zoho:${notification.channel_id}:${notification.operation}:${sortedZohoIds(notification.ids).join(',')}:${notification.server_time}`
