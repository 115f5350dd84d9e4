/**
 * @module integrations/zoho/health
 * The `zoho-token` health check: is there a usable access token? It reads the shared token (no
 * network, no budget), and only when there is none does it ask for one, and then only while more
 * than half of the token budget is free, so probes can never starve real traffic of tokens. The
 * answer is cached (default 30 s): /healthz polled every second costs nothing.
 */
import { type HealthCheck, type HealthStatus, timedCheck } from '../../platform/health/check.ts'
import type { TokenBudget } from './token-budget.ts'
import type { TokenStore } from './token-store.ts'

/** Options for {@link createTokenHealth}. */
export interface TokenHealthOptions {
  readonly tokens: TokenStore
  readonly budget: TokenBudget
  readonly budgetLimit: number
  readonly now: () => number
  /** How long an answer is reused. Default 30 s. */
  readonly cacheMs?: number
}

/** Creates the `zoho-token` check. */
export const createTokenHealth = ({
  tokens,
  budget,
  budgetLimit,
  now,
  cacheMs = 30_000,
}: TokenHealthOptions): HealthCheck => {
  let cached: { at: number; status: Promise<HealthStatus> } | undefined

  const probe = () =>
    timedCheck(async () => {
      let token = await tokens.peek()
      if (!token) {
        const block = await budget.blocked()
        if (block) {
          throw new Error(
            `token requests blocked (${block.code}) for ${Math.ceil(block.remainingMs / 1000)} s`,
          )
        }
        const free = await budget.free()
        if (free * 2 <= budgetLimit) {
          throw new Error(`no access token, and only ${free}/${budgetLimit} token requests left`)
        }
        token = await tokens.get()
      }
      return {
        apiDomain: token.apiDomain,
        expiresInS: Math.max(0, Math.round((token.expiresAt - now()) / 1000)),
      }
    })

  return {
    name: 'zoho-token',
    check: () => {
      const at = performance.now()
      if (!cached || at - cached.at >= cacheMs) cached = { at, status: probe() }
      return cached.status
    },
  }
}
