/**
 * @module schemas/ringcentral/renewal-reminder
 * Body of a subscription renewal reminder (`/restapi/v1.0/subscription/~?threshold=…&interval=…`).
 * Documented only as "a simple body with an `expiresIn` property"; anything else is kept as is.
 */
import { z } from 'zod'
import { RingCentralEnvelope } from './envelope.ts'

/**
 * Body of a renewal reminder: seconds until the subscription expires.
 *
 * @example
 * ```ts
 * RenewalReminderBody.parse({ expiresIn: 540 })
 * ```
 */
export const RenewalReminderBody = z.looseObject({
  expiresIn: z.number().int(),
})
export type RenewalReminderBody = z.infer<typeof RenewalReminderBody>

/**
 * A whole renewal reminder notification: the envelope with a {@link RenewalReminderBody}.
 *
 * @example
 * ```ts
 * RenewalReminderNotification.parse(subscriptionRenewalReminder({ expiresIn: 540 }))
 * ```
 */
export const RenewalReminderNotification = RingCentralEnvelope.extend({ body: RenewalReminderBody })
export type RenewalReminderNotification = z.infer<typeof RenewalReminderNotification>
