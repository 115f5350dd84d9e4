/**
 * @module gateway/keepers/ringcentral-keeper
 * Keeps the RingCentral webhook subscription alive: creates it (the gateway already accepts the
 * configured verification token, so the validation request that arrives BEFORE create returns is
 * answered), renews it before it expires, updates its filters, and recreates it when it is
 * Blacklisted, gone, or carries a rotated-out token. The new subscription is created before the
 * old one is deleted, so no event falls between them.
 */
import { createHash } from 'node:crypto'
import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import {
  type KeeperMemory,
  planSubscription,
  type RcSubscription,
  type SubscriptionPlan,
} from './ringcentral-plan.ts'

/** The RingCentral operations the keeper needs (the RingCentral client provides them). */
export interface SubscriptionApi {
  listSubscriptions(): Promise<readonly RcSubscription[]>
  createSubscription(input: {
    eventFilters: string[]
    address: string
    verificationToken: string
    expiresIn: number
  }): Promise<RcSubscription>
  renewSubscription(id: string): Promise<RcSubscription>
  updateSubscription(id: string, input: { eventFilters: string[] }): Promise<RcSubscription>
  deleteSubscription(id: string): Promise<void>
}

export interface RingCentralKeeperOptions {
  readonly api: SubscriptionApi
  readonly kv: Kv
  readonly address: string
  readonly eventFilters: readonly string[]
  /** The CURRENT verification token (first of RINGCENTRAL_WEBHOOK_TOKEN). */
  readonly verificationToken: string
  /** Requested lifetime; WebHook subscriptions may live 10 years. */
  readonly expiresIn?: number
  readonly renewWithinMs?: number
  readonly logger: Logger
  readonly now?: () => number
}

export interface KeeperReport {
  readonly action: SubscriptionPlan['action']
  readonly reason?: string
  readonly subscriptionId: string
  readonly status: string
  readonly expirationTime?: string
  readonly deleted: readonly string[]
}

const MEMORY_KEY = 'keeper:ringcentral:subscription'

/** A fingerprint of the token, so the kv store never holds the token itself. */
export const tokenFingerprint = (token: string) =>
  createHash('sha256').update(token).digest('hex').slice(0, 16)

export const createRingCentralKeeper = ({
  api,
  kv,
  address,
  eventFilters,
  verificationToken,
  expiresIn = 315_360_000,
  renewWithinMs = 7 * 86_400_000,
  logger,
  now = Date.now,
}: RingCentralKeeperOptions) => {
  const desired = { address, eventFilters, tokenFingerprint: tokenFingerprint(verificationToken) }

  const recall = async (): Promise<KeeperMemory | null> => {
    const raw = await kv.get(MEMORY_KEY)
    return raw ? (JSON.parse(raw) as KeeperMemory) : null
  }
  const remember = (subscriptionId: string) =>
    kv.set(
      MEMORY_KEY,
      JSON.stringify({ subscriptionId, tokenFingerprint: desired.tokenFingerprint }),
    )

  const execute = async (plan: SubscriptionPlan): Promise<RcSubscription> => {
    switch (plan.action) {
      case 'keep':
        return plan.subscription
      case 'renew':
        return api.renewSubscription(plan.subscription.id)
      case 'update-filters':
        return api.updateSubscription(plan.subscription.id, { eventFilters: [...eventFilters] })
      case 'create': {
        const created = await api.createSubscription({
          eventFilters: [...eventFilters],
          address,
          verificationToken,
          expiresIn,
        })
        await remember(created.id)
        return created
      }
      default: {
        const exhaustive: never = plan
        return exhaustive
      }
    }
  }

  /** Brings the subscription to the desired state and says what it did. */
  const ensure = async (): Promise<KeeperReport> => {
    const plan = planSubscription({
      subscriptions: await api.listSubscriptions(),
      desired,
      memory: await recall(),
      now: now(),
      renewWithinMs,
    })
    const subscription = await execute(plan)
    const deleted: string[] = []
    for (const old of plan.obsolete) {
      await api.deleteSubscription(old.id).catch((error: unknown) => {
        logger.warn(
          { err: error, subscriptionId: old.id },
          'could not delete an obsolete subscription',
        )
      })
      deleted.push(old.id)
    }
    const report: KeeperReport = {
      action: plan.action,
      ...(plan.action === 'create' ? { reason: plan.reason } : {}),
      subscriptionId: subscription.id,
      status: subscription.status,
      ...(subscription.expirationTime ? { expirationTime: subscription.expirationTime } : {}),
      deleted,
    }
    if (plan.action !== 'keep' || deleted.length > 0)
      logger.info(report, 'RingCentral subscription updated')
    return report
  }

  /** What RingCentral reports for our address, without changing anything. */
  const status = async () => {
    const memory = await recall()
    const ours = (await api.listSubscriptions()).filter((s) => s.deliveryMode.address === address)
    return {
      address,
      eventFilters,
      remembered: memory?.subscriptionId ?? null,
      subscriptions: ours,
    }
  }

  return { ensure, status }
}

export type RingCentralKeeper = ReturnType<typeof createRingCentralKeeper>
