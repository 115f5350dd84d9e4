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
  /**
   * How long this replica trusts a "not blocked" answer without asking the kv store again. Keeps
   * the hot path (authentic traffic from a few provider addresses) free of an extra round trip;
   * a failure on this replica clears it at once. Default 1000 ms.
   */
  readonly cleanCacheMs?: number
  readonly now?: () => number
}

export const createAuthThrottle = ({
  kv,
  limit,
  windowMs,
  cleanCacheMs = 1000,
  now = Date.now,
}: AuthThrottleOptions) => {
  const key = (address: string) => `authfail:${address}`
  const cleanUntil = new Map<string, number>()
  const rememberClean = (address: string) => {
    if (cleanUntil.size > 10_000) cleanUntil.clear() // bounded: many addresses = an attack anyway
    cleanUntil.set(address, now() + cleanCacheMs)
  }
  return {
    /** Seconds until the address may try again, or null when it is not blocked. */
    blockedFor: async (address: string): Promise<number | null> => {
      if ((cleanUntil.get(address) ?? 0) > now()) return null
      try {
        const count = Number((await kv.get(key(address))) ?? 0)
        if (count < limit) {
          rememberClean(address)
          return null
        }
        const ttl = await kv.ttl(key(address))
        return Math.max(1, Math.ceil((ttl ?? windowMs) / 1000))
      } catch {
        return null
      }
    },
    failed: async (address: string): Promise<void> => {
      cleanUntil.delete(address)
      try {
        await kv.increment(key(address), 1, windowMs)
      } catch {
        // counted best-effort
      }
    },
  }
}

export type AuthThrottle = ReturnType<typeof createAuthThrottle>
