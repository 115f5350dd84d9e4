/**
 * @module gateway/keepers/ringcentral-plan
 * What the RingCentral subscription keeper must do, decided from what RingCentral reports and what
 * we want: pure, so every case is a unit test. The keeper (ringcentral-keeper.ts) carries it out.
 */

/** The parts of RingCentral's subscription resource the keeper looks at. */
export interface RcSubscription {
  readonly id: string
  readonly status: string
  readonly eventFilters: readonly string[]
  readonly expirationTime?: string
  readonly deliveryMode: { readonly transportType?: string; readonly address?: string }
  readonly blacklistedData?: { readonly reason?: string; readonly blacklistedAt?: string }
}

export interface DesiredSubscription {
  readonly address: string
  readonly eventFilters: readonly string[]
  /** Fingerprint of the verification token the subscription must carry (never the token). */
  readonly tokenFingerprint: string
}

/** What the keeper remembers (kv) about the subscription it made. */
export interface KeeperMemory {
  readonly subscriptionId: string
  readonly tokenFingerprint: string
}

/** Every plan also lists `obsolete` subscriptions (ours, but blacklisted, stale or duplicate) to delete. */
export type SubscriptionPlan =
  | { action: 'keep'; subscription: RcSubscription; obsolete: readonly RcSubscription[] }
  | { action: 'renew'; subscription: RcSubscription; obsolete: readonly RcSubscription[] }
  | { action: 'update-filters'; subscription: RcSubscription; obsolete: readonly RcSubscription[] }
  /** Create a new one first (so no event is missed), then delete the obsolete ones. */
  | { action: 'create'; reason: string; obsolete: readonly RcSubscription[] }

const sameFilters = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((f, i) => f === [...b].sort()[i])

/**
 * Decides. `renewWithinMs`: renew when the subscription expires sooner than this. Subscriptions of
 * other addresses (other apps of the same user) are never touched.
 */
export const planSubscription = ({
  subscriptions,
  desired,
  memory,
  now,
  renewWithinMs,
}: {
  subscriptions: readonly RcSubscription[]
  desired: DesiredSubscription
  memory: KeeperMemory | null
  now: number
  renewWithinMs: number
}): SubscriptionPlan => {
  const ours = subscriptions.filter(
    (s) => s.deliveryMode.transportType === 'WebHook' && s.deliveryMode.address === desired.address,
  )
  const remembered = memory ? ours.find((s) => s.id === memory.subscriptionId) : undefined
  // A subscription we did not make (or lost track of) may carry an unknown token: replace it.
  if (!remembered) {
    return {
      action: 'create',
      reason: ours.length ? 'no subscription known to carry our token' : 'none exists',
      obsolete: ours,
    }
  }
  const others = ours.filter((s) => s !== remembered)
  if (remembered.status !== 'Active') {
    const why = remembered.blacklistedData?.reason ? `: ${remembered.blacklistedData.reason}` : ''
    return {
      action: 'create',
      reason: `subscription is ${remembered.status}${why}`,
      obsolete: ours,
    }
  }
  if (memory?.tokenFingerprint !== desired.tokenFingerprint) {
    return { action: 'create', reason: 'the verification token was rotated', obsolete: ours }
  }
  if (!sameFilters(remembered.eventFilters, desired.eventFilters)) {
    return { action: 'update-filters', subscription: remembered, obsolete: others }
  }
  const expiresAt = remembered.expirationTime
    ? Date.parse(remembered.expirationTime)
    : Number.POSITIVE_INFINITY
  if (expiresAt - now < renewWithinMs)
    return { action: 'renew', subscription: remembered, obsolete: others }
  return { action: 'keep', subscription: remembered, obsolete: others }
}
