/**
 * @module integrations/ringcentral/budget
 * Per-group request budgets shared by every replica through the kv port, so that together they
 * stay under RingCentral's per-(user, app) limits and never enter the "429 trap" (a request sent
 * during the penalty restarts the penalty).
 *
 * Algorithm: a sliding-window log built on the kv semaphore. Each request takes a lease in
 * `rc:<clientId>:budget:<group>` with limit = budget and lease time = window (+ a small slack) and
 * NEVER releases it: the lease expires one window after it was taken. The live leases are therefore
 * exactly the requests sent in the last window, counted atomically across replicas (a Lua script on
 * the Redis server's clock in production). Unlike fixed-window counters (`increment` with a TTL),
 * this cannot let 2 × budget through around a window boundary. When the budget is used up, the
 * caller sleeps about one slot's worth of time (window / budget, at most 1 s, jittered) and tries
 * again.
 *
 * A 429 sets a shared pause `rc:<clientId>:pause:<group>` for Retry-After: every replica waits it
 * out before reserving again, so nobody pokes the group during the penalty.
 */
import type { Kv } from '../../platform/kv/port.ts'
import { RingCentralUnavailableError } from './errors.ts'
import type { RingCentralLogger } from './logger.ts'
import { jitter, sleep } from './timing.ts'

/** RingCentral's rate-limit groups. */
export type RateLimitGroup = 'Light' | 'Medium' | 'Heavy' | 'Auth'

/** RingCentral's documented default limits, requests per 60 s per (user, app). */
export const documentedLimits: Readonly<Record<RateLimitGroup, number>> = {
  Light: 50,
  Medium: 40,
  Heavy: 10,
  Auth: 5,
}

/** Default budgets: a safety margin (~10 %, at least one request) below the documented limits. */
export const defaultBudgets: Readonly<Record<RateLimitGroup, number>> = {
  Light: 45,
  Medium: 36,
  Heavy: 9,
  Auth: 4,
}

/** Options for {@link createBudgets}. */
export interface BudgetOptions {
  readonly kv: Kv
  /** Key namespace, e.g. `rc:<clientId>`. */
  readonly prefix: string
  readonly budgets: Readonly<Record<RateLimitGroup, number>>
  /** The window budgets are counted over. Default 60 000 ms (RingCentral's). */
  readonly windowMs?: number
  /** How long one request may wait for a slot or a pause before giving up. Default 180 000 ms. */
  readonly maxWaitMs?: number
  readonly logger: RingCentralLogger
  readonly signal: AbortSignal
}

/** Shared budgets: reserve before every request, pause on a 429. */
export interface Budgets {
  /** Waits until `group` has a free slot in the shared window and no pause, then takes the slot. */
  reserve(group: RateLimitGroup): Promise<void>
  /** Makes every replica hold off `group` for `ms` (never shortens a longer pause). */
  pause(group: RateLimitGroup, ms: number): Promise<void>
}

/** Creates the shared {@link Budgets}. */
export const createBudgets = ({
  kv,
  prefix,
  budgets,
  windowMs = 60_000,
  maxWaitMs = 180_000,
  logger,
  signal,
}: BudgetOptions): Budgets => {
  for (const [group, budget] of Object.entries(budgets)) {
    if (!Number.isSafeInteger(budget) || budget < 1) {
      throw new RangeError(`budget for ${group} must be a positive integer, got ${budget}`)
    }
  }
  if (!Number.isFinite(windowMs) || windowMs <= 0) {
    throw new RangeError(`budget window must be a positive number of ms, got ${windowMs}`)
  }
  // Slack covers the time between taking a slot and the request reaching RingCentral (which
  // varies with load), so a slot is never handed out again before RingCentral's window has let go
  // of the request it counted: 1 s for RingCentral's 60 s windows, at least 100 ms for short ones.
  const leaseMs = windowMs + Math.min(1_000, Math.max(100, windowMs * 0.05))
  const pauseKey = (group: RateLimitGroup) => `${prefix}:pause:${group}`

  const reserve = async (group: RateLimitGroup): Promise<void> => {
    const limit = budgets[group]
    const deadline = performance.now() + maxWaitMs
    const slotMs = Math.min(1_000, windowMs / limit)
    let waited = false
    for (;;) {
      const paused = await kv.ttl(pauseKey(group))
      if (paused !== null && paused > 0) {
        waited = true
        if (performance.now() + paused > deadline) break
        await sleep(paused + jitter(Math.min(250, paused / 10), 1), signal)
        continue
      }
      const lease = await kv.acquire(`${prefix}:budget:${group}`, { limit, leaseMs })
      // The lease is deliberately not released: it expires one window later (see module doc).
      if (lease) {
        if (waited) logger.debug({ group }, 'ringcentral budget slot taken after waiting')
        return
      }
      waited = true
      if (performance.now() + slotMs > deadline) break
      await sleep(jitter(slotMs, 0.5), signal)
    }
    throw new RingCentralUnavailableError(
      `no ${group} request slot became free within ${maxWaitMs} ms`,
    )
  }

  const pause = async (group: RateLimitGroup, ms: number): Promise<void> => {
    const current = await kv.ttl(pauseKey(group))
    if (current !== null && current >= ms) return
    await kv.set(pauseKey(group), String(Date.now() + ms), ms)
    logger.warn({ group, pauseMs: ms }, 'ringcentral rate limit hit: pausing the group')
  }

  return { reserve, pause }
}
