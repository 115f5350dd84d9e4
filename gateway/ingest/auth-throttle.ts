/**
 * @module gateway/ingest/auth-throttle
 * Counts failed authentications per client address in fixed windows (kv counters shared by all
 * gateway replicas) and blocks an address that keeps failing until its window ends. A kv outage
 * blocks nobody: throttling is protection, not a gate for authentic traffic.
 */
import type { Kv } from '../../platform/kv/port.ts'

export interface AuthThrottleOptions {
  readonly kv: Kv
  /** Failures allowed per address and window before it is blocked. */
  readonly limit: number
  readonly windowMs: number
}

export const createAuthThrottle = ({ kv, limit, windowMs }: AuthThrottleOptions) => {
  const key = (address: string) => `authfail:${address}`
  return {
    /** Seconds until the address may try again, or null when it is not blocked. */
    blockedFor: async (address: string): Promise<number | null> => {
      try {
        const count = Number((await kv.get(key(address))) ?? 0)
        if (count < limit) return null
        const ttl = await kv.ttl(key(address))
        return Math.max(1, Math.ceil((ttl ?? windowMs) / 1000))
      } catch {
        return null
      }
    },
    failed: async (address: string): Promise<void> => {
      try {
        await kv.increment(key(address), 1, windowMs)
      } catch {
        // counted best-effort
      }
    },
  }
}

export type AuthThrottle = ReturnType<typeof createAuthThrottle>
