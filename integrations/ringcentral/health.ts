/**
 * @module integrations/ringcentral/health
 * The `ringcentral-token` health check: ok when the shared token in the kv store is usable, or when
 * one can be obtained. The answer is cached (default 30 s) and concurrent probes share one run, so
 * a busy /healthz never spends the Auth budget (4 requests a minute) on probes.
 */
import { type HealthCheck, type HealthStatus, timedCheck } from '../../platform/health/check.ts'
import { withTimeout } from './timing.ts'
import type { TokenStore } from './token-store.ts'

/** Options for {@link createTokenHealth}. */
export interface TokenHealthOptions {
  readonly tokens: TokenStore
  readonly now: () => number
  /** How long an answer is reused. Default 30 000 ms. */
  readonly cacheMs?: number
  /** A probe that has to obtain a token gives up after this. Default 10 000 ms. */
  readonly timeoutMs?: number
}

/** Creates the cached `ringcentral-token` {@link HealthCheck}. */
export const createTokenHealth = ({
  tokens,
  now,
  cacheMs = 30_000,
  timeoutMs = 10_000,
}: TokenHealthOptions): HealthCheck => {
  let cached: { status: HealthStatus; at: number } | undefined
  let running: Promise<HealthStatus> | undefined

  const probe = () =>
    timedCheck(async () => {
      const shared = await tokens.peek()
      const token = shared && tokens.usable(shared) ? shared : null
      const source = token ? 'kv' : 'obtained'
      const usable = token ?? (await withTimeout(tokens.current(), timeoutMs, 'obtaining a token'))
      return {
        source,
        grant: usable.grant,
        expiresInS: Math.round((usable.expiresAt - now()) / 1000),
      }
    })

  return {
    name: 'ringcentral-token',
    check: async () => {
      if (cached && now() - cached.at < cacheMs) return cached.status
      running ??= probe().then((status) => {
        cached = { status, at: now() }
        running = undefined
        return status
      })
      return running
    },
  }
}
