/**
 * @module integrations/zoho/token-budget
 * Zoho Accounts allows 10 access-token requests per 10 minutes per refresh token and then blocks
 * token creation for the rest of the window; retrying extends the lockout. This budget keeps
 * every replica together under that limit with a sliding-window log in the shared kv: the budget
 * is `limit` slot keys, a token request first claims a free slot (`setIfAbsent`, atomic), and a
 * slot frees itself one window (plus a margin for clock and network skew) after it was claimed.
 * At most `limit` slots exist at any moment, so at most `limit` requests fall in any window.
 *
 * When Zoho throttles anyway (another app sharing the refresh token) or rejects the client, the
 * budget is blocked for every replica until the window has passed, so nobody hammers.
 */
import type { Kv } from '../../platform/kv/port.ts'

/** Options for {@link createTokenBudget}. */
export interface TokenBudgetOptions {
  readonly kv: Kv
  /** Key prefix, unique per refresh token, e.g. `zoho:token:<fingerprint>`. */
  readonly key: string
  /** Token requests allowed per window. */
  readonly limit: number
  /** Window length. Zoho's is 10 minutes. */
  readonly windowMs: number
  /** Added to every slot's life to absorb clock and network skew. */
  readonly marginMs: number
}

/** The answer to "may I request a token now?". */
export type BudgetDecision =
  | { readonly ok: true }
  | {
      readonly ok: false
      readonly reason: 'exhausted' | 'blocked'
      /** When the next slot frees (or the block ends). */
      readonly retryAfterMs: number
      /** For `blocked`: the Accounts error code that caused it. */
      readonly blockedBy?: string
    }

/** The shared budget of token requests. */
export interface TokenBudget {
  /** Claims one slot, or says how long until one frees. Never waits. */
  take(): Promise<BudgetDecision>
  /** Blocks every replica from requesting tokens for `ms` (after a throttle or a bad client). */
  block(ms: number, code: string): Promise<void>
  /** The current block, if any. */
  blocked(): Promise<{ code: string; remainingMs: number } | null>
  /** Slots free right now (for health details). */
  free(): Promise<number>
}

/** Creates the shared token budget. */
export const createTokenBudget = ({
  kv,
  key,
  limit,
  windowMs,
  marginMs,
}: TokenBudgetOptions): TokenBudget => {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`tokenRequestsPer10Min must be a positive integer, got ${limit}`)
  }
  const slotKey = (slot: number) => `${key}:budget:${slot}`
  const blockKey = `${key}:blocked`
  const slots = Array.from({ length: limit }, (_, slot) => slotKey(slot))

  const blocked = async () => {
    const code = await kv.get(blockKey)
    if (code === null) return null
    return { code, remainingMs: (await kv.ttl(blockKey)) ?? windowMs }
  }

  return {
    take: async () => {
      const block = await blocked()
      if (block) {
        return {
          ok: false,
          reason: 'blocked',
          retryAfterMs: block.remainingMs,
          blockedBy: block.code,
        }
      }
      // Start at a random slot so replicas do not all contend for slot 0 first.
      const offset = Math.floor(Math.random() * limit)
      for (let i = 0; i < limit; i += 1) {
        const slot = slots[(offset + i) % limit] ?? slotKey(0)
        if (await kv.setIfAbsent(slot, String(Date.now()), windowMs + marginMs)) return { ok: true }
      }
      const ttls = await Promise.all(slots.map((slot) => kv.ttl(slot)))
      const soonest = Math.min(...ttls.map((ttl) => ttl ?? 0))
      return { ok: false, reason: 'exhausted', retryAfterMs: Math.max(soonest, 0) }
    },
    block: async (ms, code) => {
      await kv.set(blockKey, code, ms)
    },
    blocked,
    free: async () => {
      const taken = await Promise.all(slots.map((slot) => kv.get(slot)))
      return taken.filter((value) => value === null).length
    },
  }
}
