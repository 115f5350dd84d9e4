/**
 * @module integrations/ringcentral/subscriptions
 * Webhook subscription management. Groups per RingCentral: create, PUT and DELETE are Medium;
 * list, read and renew are Light. Creating makes RingCentral POST a validation request (with the
 * `Validation-Token` header) to `address` before answering, so the receiver must be up, and should
 * already know the `verificationToken`.
 */
import type { Api } from './api.ts'
import {
  type Subscription,
  SubscriptionList,
  Subscription as SubscriptionSchema,
} from './schemas.ts'

/** Input of {@link SubscriptionsApi.createSubscription}. */
export interface CreateSubscriptionInput {
  /** E.g. `['/restapi/v1.0/account/~/telephony/sessions']`. */
  readonly eventFilters: readonly string[]
  /** The webhook URL (cannot be changed later). */
  readonly address: string
  /** Echoed by RingCentral in the `Verification-Token` header of every notification. */
  readonly verificationToken: string
  /** Seconds; WebHook max 315 360 000 (10 years). RingCentral's default is 604 800 (7 days). */
  readonly expiresIn?: number
}

/** Input of {@link SubscriptionsApi.updateSubscription}; both absent = a plain renewal. */
export interface UpdateSubscriptionInput {
  readonly eventFilters?: readonly string[]
  readonly expiresIn?: number
}

/** Subscription methods of the client. */
export interface SubscriptionsApi {
  listSubscriptions(): Promise<Subscription[]>
  getSubscription(id: string): Promise<Subscription>
  createSubscription(input: CreateSubscriptionInput): Promise<Subscription>
  /** `POST /subscription/{id}/renew`: extends the expiry, keeping expiresIn. */
  renewSubscription(id: string): Promise<Subscription>
  updateSubscription(id: string, input: UpdateSubscriptionInput): Promise<Subscription>
  deleteSubscription(id: string): Promise<void>
}

const base = '/restapi/v1.0/subscription'
const one = (id: string) => `${base}/${encodeURIComponent(id)}`

/** Creates the {@link SubscriptionsApi}. */
export const createSubscriptionsApi = (api: Api): SubscriptionsApi => ({
  listSubscriptions: async () =>
    (await api.json('Light', { method: 'GET', url: base }, SubscriptionList)).records,
  getSubscription: (id) => api.json('Light', { method: 'GET', url: one(id) }, SubscriptionSchema),
  createSubscription: (input) =>
    api.json(
      'Medium',
      {
        method: 'POST',
        url: base,
        body: {
          eventFilters: [...input.eventFilters],
          deliveryMode: {
            transportType: 'WebHook',
            address: input.address,
            verificationToken: input.verificationToken,
          },
          ...(input.expiresIn === undefined ? {} : { expiresIn: input.expiresIn }),
        },
      },
      SubscriptionSchema,
    ),
  renewSubscription: (id) =>
    api.json(
      'Light',
      // Renewing twice is harmless, so a lost answer may be retried.
      { method: 'POST', url: `${one(id)}/renew`, idempotent: true },
      SubscriptionSchema,
    ),
  updateSubscription: (id, input) =>
    api.json(
      'Medium',
      {
        method: 'PUT',
        url: one(id),
        body: {
          ...(input.eventFilters ? { eventFilters: [...input.eventFilters] } : {}),
          ...(input.expiresIn === undefined ? {} : { expiresIn: input.expiresIn }),
        },
      },
      SubscriptionSchema,
    ),
  deleteSubscription: async (id) => {
    const response = await api.send('Medium', { method: 'DELETE', url: one(id) })
    await response.body?.cancel()
  },
})
