/**
 * @module integrations/ringcentral/client
 * {@link createRingCentralClient}: the RingCentral client every role uses. One token shared by all
 * replicas (token-store.ts), per-group request budgets shared by all replicas (budget.ts), the SDK
 * as transport with its own token handling switched off (sdk.ts), retries and typed errors
 * (dispatcher.ts, errors.ts), and typed, validated methods.
 */
import type { HealthCheck } from '../../platform/health/check.ts'
import type { Kv } from '../../platform/kv/port.ts'
import { createApi } from './api.ts'
import { createBudgets, defaultBudgets, type RateLimitGroup } from './budget.ts'
import { type CallLogApi, createCallLogApi } from './call-log.ts'
import { createDispatcher } from './dispatcher.ts'
import { createRedactor } from './errors.ts'
import { createTokenHealth } from './health.ts'
import { type RingCentralLogger, silentLogger } from './logger.ts'
import { createRecordingsApi, type RecordingsApi } from './recordings.ts'
import { createPlatform } from './sdk.ts'
import { createSmsApi, type SmsApi } from './sms.ts'
import { createSubscriptionsApi, type SubscriptionsApi } from './subscriptions.ts'
import { createTokenGrant } from './token-grant.ts'
import { createTokenStore } from './token-store.ts'

/** Options for {@link createRingCentralClient}. */
export interface RingCentralClientOptions {
  /** Platform API base, e.g. `https://platform.ringcentral.com`. */
  readonly serverUrl: string
  readonly clientId: string
  readonly clientSecret: string
  /** The JWT credential of the app's service user. */
  readonly jwt: string
  /** Where the token, the lock and the budgets are shared: Redis with several replicas. */
  readonly kv: Kv
  readonly logger?: RingCentralLogger
  /** Clock for token expiry, in epoch ms. Default `Date.now`. */
  readonly now?: () => number
  /**
   * Requests per window per group, shared by all replicas. Default 45/36/9/4 (Light/Medium/Heavy/
   * Auth): a safety margin below RingCentral's documented 50/40/10/5 per 60 s.
   */
  readonly budgets?: Partial<Record<RateLimitGroup, number>>
  /** The window budgets are counted over. Default 60 000 ms; tests use shorter ones. */
  readonly budgetWindowMs?: number
  /** Refresh the token when less than this is left (at most a third of its life). Default 5 min. */
  readonly refreshBeforeMs?: number
  /** Retries after 5xx / network errors (idempotent requests only). Default 3. */
  readonly maxRetries?: number
  /** Namespace of the kv keys. Default `rc:<clientId>`. */
  readonly keyPrefix?: string
  /** The fetch the SDK sends with. Default the global fetch. */
  readonly fetch?: typeof fetch
}

/** The RingCentral client. All methods may throw the errors of errors.ts. */
export interface RingCentralClient extends CallLogApi, RecordingsApi, SubscriptionsApi, SmsApi {
  /** `ringcentral-token`: ok when a valid shared token exists or can be obtained (cached 30 s). */
  readonly health: HealthCheck
  /** Wakes every waiting request with RingCentralUnavailableError; no new request is sent. */
  close(): void
}

/**
 * Creates a RingCentral client. Cheap: nothing is sent until the first call, and replicas created
 * with the same `clientId` and kv share one token and one set of budgets.
 *
 * @example
 * ```ts
 * const rc = createRingCentralClient({ serverUrl, clientId, clientSecret, jwt, kv, logger })
 * const records = await rc.callLogByTelephonySession('s-a6abd24ca6774373a8120a3390d3cbe8')
 * ```
 */
export const createRingCentralClient = (options: RingCentralClientOptions): RingCentralClient => {
  const { kv, clientId, clientSecret, jwt } = options
  const server = new URL(options.serverUrl) // throws on a malformed URL, at start-up
  if (server.protocol !== 'https:' && server.protocol !== 'http:') {
    throw new RangeError(`serverUrl must be an http(s) URL, got ${server.protocol}`)
  }
  for (const [name, value] of Object.entries({ clientId, clientSecret, jwt })) {
    if (!value) throw new RangeError(`RingCentral ${name} is empty`)
  }
  const now = options.now ?? Date.now
  const logger = options.logger ?? silentLogger
  const prefix = options.keyPrefix ?? `rc:${clientId}`
  const closed = new AbortController()
  const signal = closed.signal

  const platform = createPlatform({
    serverUrl: options.serverUrl,
    clientId,
    clientSecret,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  const budgets = createBudgets({
    kv,
    prefix,
    budgets: { ...defaultBudgets, ...options.budgets },
    ...(options.budgetWindowMs ? { windowMs: options.budgetWindowMs } : {}),
    logger,
    signal,
  })
  // Filled once the token store exists; the redactor only reads it when an error is mapped.
  let knownTokens = (): readonly string[] => []
  const redact = createRedactor([clientSecret, jwt], () => knownTokens())
  const dispatcher = createDispatcher({
    platform,
    budgets,
    redact,
    logger,
    signal,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  })
  const grant = createTokenGrant({ dispatcher, platform, jwt, now })
  const tokens = createTokenStore({
    kv,
    key: `${prefix}:token`,
    grant,
    now,
    logger,
    signal,
    ...(options.refreshBeforeMs ? { refreshBeforeMs: options.refreshBeforeMs } : {}),
  })
  knownTokens = tokens.known
  const api = createApi({ dispatcher, tokens, platform })

  return {
    ...createCallLogApi(api),
    ...createRecordingsApi(api),
    ...createSubscriptionsApi(api),
    ...createSmsApi(api),
    health: createTokenHealth({ tokens, now }),
    close: () => closed.abort(),
  }
}
