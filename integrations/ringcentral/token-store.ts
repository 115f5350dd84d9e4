/**
 * @module integrations/ringcentral/token-store
 * ONE RingCentral token for all replicas, kept in the kv port under `rc:<clientId>:token`.
 *
 * - Every request reads the shared token (one kv GET) and uses it while it is usable.
 * - Obtaining a token is single-flight at two levels: within a process, concurrent callers share
 *   one attempt; across replicas, only the holder of the kv lock `rc:<clientId>:token:lock` talks
 *   to the token endpoint (refresh_token grant, or a JWT login when there is no refresh token or it
 *   is rejected) and writes the result; everyone else polls the kv store for the new token. The
 *   holder keeps extending the lock while it waits (e.g. for an Auth budget slot), so a second
 *   replica can never start a parallel login: each JWT login opens a session, and RingCentral
 *   allows about five.
 * - Refresh is proactive: when less than min(refreshBeforeMs, lifetime / 3) is left, the next
 *   request triggers the single-flight refresh and waits for it (RingCentral invalidates the old
 *   access token the moment it is refreshed, so racing the refresh with it would only earn 401s).
 *   If the refresh is slow (> renewalWaitMs) or fails, requests go on with the still-valid token.
 * - After a 401, {@link TokenStore.replace} renews only if the kv store still holds the rejected
 *   token (compared under the lock); if another replica already replaced it, its token is used.
 * - A rejected JWT login (400/401/403) is remembered for a while in `…:token:failure`, so replicas
 *   stop asking the token endpoint with credentials that do not work.
 */
import type { Kv, Lock } from '../../platform/kv/port.ts'
import { RingCentralUnavailableError } from './errors.ts'
import type { RingCentralLogger } from './logger.ts'
import { StoredToken } from './schemas.ts'
import { jitter, sleep, withTimeout } from './timing.ts'
import type { TokenGrant } from './token-grant.ts'
import { createMinter } from './token-mint.ts'

/** Options for {@link createTokenStore}. */
export interface TokenStoreOptions {
  readonly kv: Kv
  /** The kv key of the shared token; the lock and failure marker hang off it. */
  readonly key: string
  readonly grant: TokenGrant
  readonly now: () => number
  readonly logger: RingCentralLogger
  readonly signal: AbortSignal
  /** Refresh when less than this is left (capped at a third of the lifetime). Default 5 min. */
  readonly refreshBeforeMs?: number
  /** Lock expiry; extended every third of it while held. Default 30 s. */
  readonly lockTtlMs?: number
  /** How long a caller waits for another replica's token. Default 120 s. */
  readonly waitTimeoutMs?: number
  /** How often a waiting replica looks at the kv store. Default 50 ms. */
  readonly pollMs?: number
  /** How long a rejected JWT login blocks further logins. Default 60 s. */
  readonly loginFailureBackoffMs?: number
  /** How long requests wait for a due refresh before going on with the old token. Default 10 s. */
  readonly renewalWaitMs?: number
  /** After such a wait timed out or failed, no new attempt for this long. Default 30 s. */
  readonly renewalBackoffMs?: number
}

/** The shared token. */
export interface TokenStore {
  /** A usable token, obtained under the lock when the kv store has none. */
  current(): Promise<StoredToken>
  /** A usable token other than `rejectedAccessToken` (RingCentral answered 401 to it). */
  replace(rejectedAccessToken: string): Promise<StoredToken>
  /** The shared token as it is, without obtaining one (health checks). */
  peek(): Promise<StoredToken | null>
  /** Whether `token` can still be sent. */
  usable(token: StoredToken): boolean
  /** Secrets this replica has seen (for redaction). */
  known(): readonly string[]
}

/** Creates the {@link TokenStore}. */
export const createTokenStore = ({
  kv,
  key,
  grant,
  now,
  logger,
  signal,
  refreshBeforeMs = 300_000,
  lockTtlMs = 30_000,
  waitTimeoutMs = 120_000,
  pollMs = 50,
  loginFailureBackoffMs = 60_000,
  renewalWaitMs = 10_000,
  renewalBackoffMs = 30_000,
}: TokenStoreOptions): TokenStore => {
  const lockKey = `${key}:lock`
  const { mint, refreshable, assertNoRecentFailure } = createMinter({
    kv,
    failureKey: `${key}:failure`,
    grant,
    now,
    logger,
    loginFailureBackoffMs,
  })
  let seen: readonly string[] = []
  let inflight: Promise<StoredToken> | null = null
  /** No refresh attempt before this (performance.now) after one timed out or failed. */
  let nextRenewalAt = 0

  const remaining = (token: StoredToken) => token.expiresAt - now()
  const usable = (token: StoredToken) => remaining(token) > Math.min(10_000, token.lifetimeMs / 10)
  const dueForRefresh = (token: StoredToken) =>
    remaining(token) < Math.min(refreshBeforeMs, token.lifetimeMs / 3)

  const remember = (token: StoredToken) => {
    seen = [token.accessToken, ...(token.refreshToken ? [token.refreshToken] : [])]
  }

  const read = async (): Promise<StoredToken | null> => {
    const raw = await kv.get(key)
    if (raw === null) return null
    let parsed: ReturnType<typeof StoredToken.safeParse>
    try {
      parsed = StoredToken.safeParse(JSON.parse(raw))
    } catch {
      parsed = StoredToken.safeParse(undefined)
    }
    if (!parsed.success) {
      logger.warn({ key }, 'ringcentral token in kv is unreadable: ignoring it')
      return null
    }
    remember(parsed.data)
    return parsed.data
  }

  const write = async (token: StoredToken) => {
    remember(token)
    const ttl = Math.max(token.refreshExpiresAt ?? 0, token.expiresAt) - now()
    if (ttl > 0) await kv.set(key, JSON.stringify(token), ttl)
  }

  const holding = async <T>(lock: Lock, work: () => Promise<T>): Promise<T> => {
    const keepAlive = setInterval(() => {
      lock.extend(lockTtlMs).catch(() => false)
    }, lockTtlMs / 3)
    try {
      return await work()
    } finally {
      clearInterval(keepAlive)
      await lock.release().catch(() => false)
    }
  }

  /** Marks the shared token unusable, keeping its refresh token (refreshing keeps the session). */
  const invalidate = async (token: StoredToken) => {
    if (refreshable(token)) await write({ ...token, expiresAt: 0 })
    else await kv.delete(key)
    logger.info({}, 'ringcentral token rejected with 401: invalidated the shared token')
  }

  /**
   * Waits for (or, holding the lock, makes) a token that satisfies `good`. With `rejected`, the
   * shared token is first invalidated if it still is the rejected one, so that even if renewing
   * fails, no replica keeps sending it.
   */
  const obtainShared = async (
    good: (token: StoredToken) => boolean,
    rejected?: string,
  ): Promise<StoredToken> => {
    const deadline = performance.now() + waitTimeoutMs
    for (;;) {
      const shared = await read()
      if (shared && good(shared)) return shared
      await assertNoRecentFailure()
      const lock = await kv.tryLock(lockKey, lockTtlMs)
      if (lock) {
        return holding(lock, async () => {
          const latest = await read()
          if (latest && good(latest)) return latest
          if (latest && latest.accessToken === rejected) await invalidate(latest)
          const fresh = await mint(latest)
          await write(fresh)
          return fresh
        })
      }
      if (performance.now() > deadline) {
        throw new RingCentralUnavailableError(
          `no RingCentral token appeared within ${waitTimeoutMs} ms (another replica holds the lock)`,
        )
      }
      await sleep(jitter(pollMs, 0.5), signal)
    }
  }

  /** In-process single flight on top of the cross-replica one. */
  const obtain = async (
    good: (token: StoredToken) => boolean,
    rejected?: string,
  ): Promise<StoredToken> => {
    for (;;) {
      if (!inflight) {
        inflight = obtainShared(good, rejected).finally(() => {
          inflight = null
        })
      }
      const token = await inflight
      if (good(token)) return token
    }
  }

  return {
    current: async () => {
      const shared = await read()
      if (!shared || !usable(shared)) return obtain(usable)
      if (!dueForRefresh(shared) || performance.now() < nextRenewalAt) return shared
      // Due for refresh. RingCentral kills the old access token the moment it is refreshed, so
      // requests wait for the (single-flight) refresh instead of racing it with a doomed token;
      // if it is slow or fails, they go on with the still-valid one and try again later.
      try {
        return await withTimeout(
          obtain((token) => usable(token) && !dueForRefresh(token)),
          renewalWaitMs,
        )
      } catch (error) {
        nextRenewalAt = performance.now() + renewalBackoffMs
        logger.warn(
          { reason: error instanceof Error ? error.message : String(error) },
          'ringcentral token refresh is slow or failed; using the still-valid token meanwhile',
        )
        return shared
      }
    },
    replace: (rejected) =>
      obtain((token) => usable(token) && token.accessToken !== rejected, rejected),
    peek: read,
    usable,
    known: () => seen,
  }
}
