/**
 * @module integrations/zoho/token-store
 * One Zoho access token shared by every replica. The token (with the `api_domain` Zoho returned
 * next to it) lives sealed in the kv; each process also keeps it in memory. A refresh is
 * single-flight twice over: one promise per process, and a kv lock across replicas, under which
 * the holder re-reads the kv (someone may have just refreshed), takes a slot from the shared
 * budget and only then asks Zoho Accounts. Replicas without the lock poll the kv for the result.
 *
 * A token Zoho rejected (401) is passed back as `rejected`: it is replaced only if it is still
 * the shared one, so N replicas seeing the same 401 cause one refresh, not N.
 */
import { z } from 'zod'
import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import { ZohoApiError } from './errors.ts'
import { fetchFailure } from './retry-policy.ts'
import { TokenErrorResponse, TokenResponse } from './schemas.ts'
import type { TokenBudget } from './token-budget.ts'
import { seal, sealingKey, unseal } from './token-seal.ts'

/** An access token and where to use it. */
export interface AccessToken {
  readonly accessToken: string
  /** API base of the org's data centre, from the token response (`https://www.zohoapis.eu`). */
  readonly apiDomain: string
  /** Epoch ms at which Zoho stops accepting it. */
  readonly expiresAt: number
  /** Epoch ms after which a new one is fetched (a little before expiry). */
  readonly refreshAt: number
}

const StoredToken = z.object({
  accessToken: z.string().min(1),
  apiDomain: z.string().min(1),
  expiresAt: z.number(),
  refreshAt: z.number(),
})

/** Options for {@link createTokenStore}. */
export interface TokenStoreOptions {
  readonly kv: Kv
  /** Namespace for this refresh token's keys, e.g. `zoho:token:<fingerprint>`. */
  readonly key: string
  readonly accountsUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly refreshToken: string
  readonly budget: TokenBudget
  /** The budget's window, used to block after Zoho throttles. */
  readonly budgetWindowMs: number
  /** How long `get` waits for another replica's refresh or a budget slot before failing. */
  readonly waitMs: number
  /** Timeout of the Accounts request. */
  readonly timeoutMs: number
  readonly fetch: typeof fetch
  readonly now: () => number
  readonly logger?: Pick<Logger, 'info' | 'warn'> | undefined
}

/** The shared token. */
export interface TokenStore {
  /** A usable token; refreshes when needed. `rejected`: a token Zoho refused, never returned. */
  get(options?: { rejected?: string }): Promise<AccessToken>
  /** The current token without any network call or budget use; null when there is none. */
  peek(): Promise<AccessToken | null>
}

/** Accounts error codes that mean the client or refresh token is wrong (not transient). */
const authCodes = new Set([
  'invalid_code',
  'invalid_client',
  'invalid_client_secret',
  'unauthorized_client',
])
/** How long a rejected client/refresh token stops all replicas from asking again. */
const authBlockMs = 60_000

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Creates the shared token store. */
export const createTokenStore = (options: TokenStoreOptions): TokenStore => {
  const { kv, key, budget, now } = options
  const tokenKey = `${key}:access`
  const lockKey = `${key}:refresh-lock`
  const secretKey = sealingKey(options.clientSecret, tokenKey)
  let local: AccessToken | null = null
  let inflight: Promise<AccessToken> | null = null

  const readShared = async (): Promise<AccessToken | null> => {
    const sealed = await kv.get(tokenKey)
    const plain = sealed === null ? null : unseal(sealed, secretKey)
    if (plain === null) return null
    let parsed: unknown
    try {
      parsed = JSON.parse(plain)
    } catch {
      return null
    }
    const token = StoredToken.safeParse(parsed)
    return token.success ? token.data : null
  }

  const writeShared = async (token: AccessToken) => {
    const ttl = token.expiresAt - now()
    if (ttl > 0) await kv.set(tokenKey, seal(JSON.stringify(token), secretKey), ttl)
  }

  const fresh = (token: AccessToken | null, rejected?: string): token is AccessToken =>
    token !== null && token.accessToken !== rejected && now() < token.refreshAt
  const unexpired = (token: AccessToken | null, rejected?: string): token is AccessToken =>
    token !== null && token.accessToken !== rejected && now() < token.expiresAt

  const requestToken = async (): Promise<AccessToken> => {
    const started = now()
    let response: Response
    try {
      response = await options.fetch(`${options.accountsUrl}/oauth/v2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        // In the body, not the query string, so the secrets stay out of access logs.
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          refresh_token: options.refreshToken,
        }),
        signal: AbortSignal.timeout(options.timeoutMs),
      })
    } catch (error) {
      const failure = fetchFailure(error)
      throw new ZohoApiError({
        code: failure === 'timeout' ? 'TIMEOUT' : 'NETWORK_ERROR',
        status: 0,
        message: `token request to Zoho Accounts failed (${failure})`,
        cause: error,
      })
    }
    const text = await response.text()
    let body: unknown = null
    try {
      body = JSON.parse(text)
    } catch {
      // handled below as an unexpected response
    }
    const ok = TokenResponse.safeParse(body)
    if (ok.success) {
      const lifetime = ok.data.expires_in * 1000
      // Refresh ahead of expiry: 10% of the lifetime, at most a minute.
      const skew = Math.min(60_000, lifetime * 0.1)
      return {
        accessToken: ok.data.access_token,
        apiDomain: ok.data.api_domain.replace(/\/+$/, ''),
        expiresAt: started + lifetime,
        refreshAt: started + lifetime - skew,
      }
    }
    const failed = TokenErrorResponse.safeParse(body)
    if (!failed.success) {
      throw new ZohoApiError({
        code: 'UNEXPECTED_RESPONSE',
        status: response.status,
        message: 'Zoho Accounts answered without an access token or an error code',
      })
    }
    const { error, error_description: description = '' } = failed.data
    if (response.status === 429 || /access denied|too many/i.test(`${error} ${description}`)) {
      await budget.block(options.budgetWindowMs, 'TOKEN_THROTTLED')
      throw new ZohoApiError({
        code: 'TOKEN_THROTTLED',
        status: response.status,
        message: 'Zoho Accounts is throttling token requests; blocked for the rest of the window',
        retryAfterMs: options.budgetWindowMs,
      })
    }
    if (authCodes.has(error)) await budget.block(authBlockMs, error)
    throw new ZohoApiError({
      code: error,
      status: response.status === 200 ? 400 : response.status,
      message: `Zoho Accounts refused the refresh-token grant (${error})`,
    })
  }

  const budgetError = (decision: { reason: string; retryAfterMs: number; blockedBy?: string }) => {
    if (decision.blockedBy && authCodes.has(decision.blockedBy)) {
      return new ZohoApiError({
        code: decision.blockedBy,
        status: 400,
        message: `Zoho Accounts refused the refresh-token grant (${decision.blockedBy}); not asking again for ${Math.ceil(decision.retryAfterMs / 1000)} s`,
      })
    }
    const throttled = decision.reason === 'blocked'
    return new ZohoApiError({
      code: throttled ? 'TOKEN_THROTTLED' : 'TOKEN_BUDGET_EXHAUSTED',
      status: 0,
      message: throttled
        ? 'Zoho Accounts throttled token requests; waiting out the window'
        : 'the token-request budget for this 10-minute window is used up',
      retryAfterMs: decision.retryAfterMs,
    })
  }

  const refresh = async (rejected?: string): Promise<AccessToken> => {
    const deadline = performance.now() + options.waitMs
    for (;;) {
      const shared = await readShared()
      if (fresh(shared, rejected)) return shared
      const lock = await kv.tryLock(lockKey, options.timeoutMs + 5000)
      if (lock) {
        let refused: { reason: string; retryAfterMs: number; blockedBy?: string }
        try {
          const again = await readShared()
          if (fresh(again, rejected)) return again
          const decision = await budget.take()
          if (decision.ok) {
            const token = await requestToken()
            // A token we cannot share is still good for this process; the budget slot is spent.
            await writeShared(token).catch((error: unknown) => {
              options.logger?.warn({ err: error }, 'zoho access token not shared: kv write failed')
            })
            options.logger?.info(
              {
                apiDomain: token.apiDomain,
                expiresInS: Math.round((token.expiresAt - now()) / 1000),
              },
              'zoho access token refreshed',
            )
            return token
          }
          // Out of budget: a token past its refresh time but not expired is still good.
          if (unexpired(again, rejected)) return again
          refused = decision
        } finally {
          await lock.release().catch(() => false)
        }
        const remaining = deadline - performance.now()
        if (refused.retryAfterMs > remaining) throw budgetError(refused)
        options.logger?.warn(
          { retryAfterMs: refused.retryAfterMs, reason: refused.reason },
          'zoho token budget: waiting for a slot',
        )
        await sleep(refused.retryAfterMs)
        continue
      }
      if (performance.now() >= deadline) {
        if (unexpired(shared, rejected)) return shared
        throw new ZohoApiError({
          code: 'TOKEN_WAIT_TIMEOUT',
          status: 0,
          message: `no access token after waiting ${options.waitMs} ms for another replica's refresh`,
        })
      }
      await sleep(25 + Math.random() * 75)
    }
  }

  /** Joins this process's refresh in flight, or starts one. */
  const flight = (rejected?: string): Promise<AccessToken> => {
    if (inflight) return inflight
    const started = refresh(rejected).then((token) => {
      local = token
      return token
    })
    inflight = started
    const clear = () => {
      if (inflight === started) inflight = null
    }
    started.then(clear, clear)
    return started
  }

  return {
    get: async ({ rejected } = {}) => {
      if (fresh(local, rejected)) return local
      // A flight joined before this rejection was known may bring back the rejected token.
      for (let attempt = 0; ; attempt += 1) {
        const token = await flight(rejected)
        if (token.accessToken !== rejected || attempt >= 2) return token
      }
    },
    peek: async () => {
      if (unexpired(local)) return local
      const shared = await readShared()
      return unexpired(shared) ? shared : null
    },
  }
}
