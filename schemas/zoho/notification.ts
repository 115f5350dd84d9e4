/**
 * @module schemas/zoho/notification
 * The callback Zoho CRM POSTs to a watch channel's `notify_url`. Values are validated but never
 * converted: a numeric string stays a string, so the payload reaches Kafka exactly as received.
 * Unknown fields are kept.
 */
import { z } from 'zod'
import { formatIssues, type ParseFailure } from '../issues.ts'

/** Known `operation` values (the watch event `create` arrives as `insert`). Others are accepted. */
export const zohoOperations = ['insert', 'update', 'delete'] as const
export type ZohoOperation = (typeof zohoOperations)[number]

/**
 * A record id: a digit string, or a JSON number. Numbers must be safe integers: an 18-digit Zoho
 * id sent as a JSON number has already lost precision in `JSON.parse`, and is rejected rather than
 * passed on as the id of some other record.
 */
const RecordId = z.union([z.string().min(1), z.number().int()])

/**
 * A Zoho CRM notification callback.
 *
 * @example
 * ```ts
 * ZohoNotification.parse({
 *   server_time: 1772446500123,
 *   module: 'Leads',
 *   operation: 'insert',
 *   ids: ['4876876000001234001'],
 *   channel_id: '1000000068001',
 *   token: 'leads-watch-7f3a',
 *   resource_uri: 'https://www.zohoapis.com/crm/v8/Leads',
 *   query_params: { secret: 's3cr3t' },
 *   affected_fields: [],
 * })
 * ```
 */
export const ZohoNotification = z.looseObject({
  /** When Zoho sent the callback, ms since the epoch (a number, or a digit string). */
  server_time: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]),
  /** Module API name, e.g. `Leads`, `Contacts`, `Sales_Orders`. */
  module: z.string().min(1),
  /** `insert`, `update`, `delete` (see {@link zohoOperations}), or a value Zoho adds later. */
  operation: z.string().min(1),
  /** Affected record ids; at least one. */
  ids: z.array(RecordId).min(1),
  /** The channel id given when the watch was enabled. */
  channel_id: z.union([z.string().min(1), z.number().int()]),
  /** The watch's `token` echoed back (at most 50 characters); absent when none was set. */
  token: z.string().max(50).nullable().optional(),
  resource_uri: z.string().nullable().optional(),
  /** Changed fields and values, when the watch asked for them. Shape not documented: kept as is. */
  affected_fields: z.unknown().optional(),
  /** The query parameters of `notify_url`. */
  query_params: z.record(z.string(), z.unknown()).nullable().optional(),
})
export type ZohoNotification = z.infer<typeof ZohoNotification>

/** The event kind of a notification: `<module>.<operation>`, e.g. `Leads.insert`. */
export const zohoEventKind = (
  notification: Pick<ZohoNotification, 'module' | 'operation'>,
): string => `${notification.module}.${notification.operation}`

export type ZohoParseResult =
  | { readonly ok: true; readonly kind: string; readonly notification: ZohoNotification }
  | ParseFailure

/**
 * Validates a parsed JSON body as a Zoho CRM notification. `kind` is {@link zohoEventKind}.
 * Errors are one readable line, e.g. `invalid Zoho notification: ids: Too small: …`.
 *
 * @example
 * ```ts
 * const result = parseZohoNotification(JSON.parse(rawBody))
 * if (result.ok) result.notification.ids
 * else park(result.error)
 * ```
 */
export const parseZohoNotification = (json: unknown): ZohoParseResult => {
  const parsed = ZohoNotification.safeParse(json)
  if (!parsed.success) {
    return { ok: false, error: `invalid Zoho notification: ${formatIssues(parsed.error)}` }
  }
  return { ok: true, kind: zohoEventKind(parsed.data), notification: parsed.data }
}
