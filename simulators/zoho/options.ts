/**
 * @module simulators/zoho/options
 * The simulator's options and their defaults. Every number has the value Zoho documents (see
 * ../shared/reference/zoho.md) unless a test or benchmark overrides it.
 */

/** Options of {@link createZohoSimulator}. All optional. */
export interface ZohoSimulatorOptions {
  /** The accepted OAuth client id. Default `sim-zoho-client-id`. */
  clientId?: string
  /** The accepted OAuth client secret. Default `sim-zoho-client-secret`. */
  clientSecret?: string
  /** The accepted refresh token. Default `sim-zoho-refresh-token`. */
  refreshToken?: string
  /** Lifetime of an access token, in seconds. Default 3600 (Zoho: one hour). */
  accessTokenTtlS?: number
  /** Token requests allowed per refresh token in any 10 minutes, then `Access Denied`. Default 10. */
  tokenRequestsPer10Min?: number
  /** Live access tokens per refresh token; a new one invalidates the oldest. Default 10. */
  maxLiveAccessTokens?: number
  /** Concurrent CRM API calls per org; beyond it 429 TOO_MANY_REQUESTS. Default 10 (edition-based). */
  concurrencyLimit?: number
  /** Sub-concurrency of search and of writes of more than 10 records. Default 10. */
  searchConcurrencyLimit?: number
  /** API credits per rolling 24 hours. Default 1 000 000. */
  dailyCredits?: number
  /** Processing time added to every CRM call, inside its concurrency slot. Default 0. */
  latencyMs?: number
  /** New or updated records stay invisible to search for this long. Default 0. */
  indexLagMs?: number
  /**
   * Largest attachment accepted, in bytes. Default 100 MiB: the v2 doc's "Maximum allowed file
   * size: 100 MB" (the v7/v8 pages state no limit; v1 said 20 MB).
   */
  attachmentMaxBytes?: number
  /**
   * Fields the org marked "do not allow duplicate values", per module (e.g. `{ Leads: ['Phone'] }`).
   * Only these and the system duplicate-check fields may be named in `duplicate_check_fields`.
   * Default none.
   */
  uniqueFields?: Readonly<Record<string, readonly string[]>>
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number
  /** Used to POST notification callbacks. Default the global `fetch`. */
  fetch?: typeof fetch
}

/** Options with every default applied. */
export type ResolvedOptions = Required<ZohoSimulatorOptions>

export const resolveOptions = (options: ZohoSimulatorOptions = {}): ResolvedOptions => ({
  clientId: options.clientId ?? 'sim-zoho-client-id',
  clientSecret: options.clientSecret ?? 'sim-zoho-client-secret',
  refreshToken: options.refreshToken ?? 'sim-zoho-refresh-token',
  accessTokenTtlS: options.accessTokenTtlS ?? 3600,
  tokenRequestsPer10Min: options.tokenRequestsPer10Min ?? 10,
  maxLiveAccessTokens: options.maxLiveAccessTokens ?? 10,
  concurrencyLimit: options.concurrencyLimit ?? 10,
  searchConcurrencyLimit: options.searchConcurrencyLimit ?? 10,
  dailyCredits: options.dailyCredits ?? 1_000_000,
  latencyMs: options.latencyMs ?? 0,
  indexLagMs: options.indexLagMs ?? 0,
  attachmentMaxBytes: options.attachmentMaxBytes ?? 100 * 1024 * 1024,
  uniqueFields: options.uniqueFields ?? {},
  now: options.now ?? Date.now,
  fetch: options.fetch ?? ((input, init) => fetch(input, init)),
})
