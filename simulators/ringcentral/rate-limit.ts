/**
 * @module simulators/ringcentral/rate-limit
 * Per (user, app, group) sliding-window limits with RingCentral's penalty: once a group is over its
 * limit, every request during the penalty answers 429 and restarts the penalty (the "429 trap").
 * `X-Rate-Limit-*` headers go on every answer of a limited endpoint; the group is lower-case as in
 * the documented and observed headers (`heavy`).
 */
import type { MiddlewareHandler } from 'hono'
import type { SimEnv } from './bearer.ts'
import { apiError } from './errors.ts'
import type { SimCore } from './state.ts'
import type { RateLimitGroup } from './types.ts'

/** The verdict for one request. */
export interface RateLimitDecision {
  readonly allowed: boolean
  readonly headers: Readonly<Record<string, string>>
}

/** Counts requests; `take` records one and says whether it may proceed. */
export interface RateLimiter {
  take(key: string, group: RateLimitGroup): RateLimitDecision
}

/** Creates the limiter over the simulator clock. */
export const createRateLimiter = (core: SimCore): RateLimiter => {
  const hits = new Map<string, number[]>()
  const penaltyUntil = new Map<string, number>()
  return {
    take(key, group) {
      core.counters.requests[group]++
      const config = core.config.rateLimits
      if (config === false) return { allowed: true, headers: {} }
      const now = core.now()
      const id = `${key}|${group}`
      const limit = config.limits[group]
      const recent = (hits.get(id) ?? []).filter((at) => at > now - config.windowS * 1000)
      const common = {
        'X-Rate-Limit-Group': group.toLowerCase(),
        'X-Rate-Limit-Limit': String(limit),
        'X-Rate-Limit-Window': String(config.windowS),
      }
      if (now < (penaltyUntil.get(id) ?? 0) || recent.length >= limit) {
        penaltyUntil.set(id, now + config.penaltyS * 1000)
        hits.set(id, recent)
        core.counters.served429++
        return {
          allowed: false,
          headers: {
            ...common,
            'X-Rate-Limit-Remaining': '0',
            'Retry-After': String(config.penaltyS),
          },
        }
      }
      recent.push(now)
      hits.set(id, recent)
      return {
        allowed: true,
        headers: { ...common, 'X-Rate-Limit-Remaining': String(limit - recent.length) },
      }
    },
  }
}

/** 429 CMN-301 with the limiter's headers. */
export const rateExceeded = (headers: Readonly<Record<string, string>>) =>
  apiError(429, 'CMN-301', 'Request rate exceeded', { headers: { ...headers } })

/** The limiter key of a user of an app. */
export const limiterKey = (clientId: string, ownerId: string): string => `${clientId}:${ownerId}`

/** Middleware for an authenticated endpoint of `group` (after `bearer`). */
export const limit =
  (limiter: RateLimiter, group: RateLimitGroup): MiddlewareHandler<SimEnv> =>
  async (c, next) => {
    const session = c.get('session')
    const decision = limiter.take(limiterKey(session.clientId, session.ownerId), group)
    if (!decision.allowed) throw rateExceeded(decision.headers)
    for (const [name, value] of Object.entries(decision.headers)) c.header(name, value)
    await next()
  }
