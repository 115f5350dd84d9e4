/**
 * @module schemas/ringcentral/envelope
 * The envelope every RingCentral webhook notification arrives in. The OpenAPI spec marks no field
 * as required (and `MessageEvent` has no `ownerId`), so only what routing needs is required:
 * `uuid` (dedup), `event` (classification) and `body`. Unknown fields are kept: RingCentral adds
 * fields over time and they must reach Kafka intact.
 */
import { z } from 'zod'

/**
 * A RingCentral notification envelope. `timestamp` is optional but, when present, must be an ISO
 * 8601 date-time. `body` is any object; its shape depends on the event (see `classify.ts`).
 *
 * @example
 * ```ts
 * const result = RingCentralEnvelope.safeParse({
 *   uuid: '7719630154127011843',
 *   event: '/restapi/v1.0/account/1001/telephony/sessions',
 *   timestamp: '2026-03-02T10:15:00.120Z',
 *   subscriptionId: 'b3a1f2c4-0d5e-4c1a-9a8b-2f6e7d8c9b0a',
 *   ownerId: '2002',
 *   body: { sequence: 1 },
 * })
 * ```
 */
export const RingCentralEnvelope = z.looseObject({
  /** Unique id of the notification: a numeric string or a UUID. The dedup key is built from it. */
  uuid: z.string().min(1),
  /** The event filter the notification matched, with real account/extension ids. */
  event: z.string().min(1),
  /** When RingCentral sent the notification. */
  timestamp: z.iso.datetime({ offset: true }).optional(),
  subscriptionId: z.string().optional(),
  /** Extension id of the subscription owner. */
  ownerId: z.string().optional(),
  body: z.looseObject({}),
})
export type RingCentralEnvelope = z.infer<typeof RingCentralEnvelope>
