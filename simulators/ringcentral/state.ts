/**
 * @module simulators/ringcentral/state
 * The simulator's resolved configuration and its mutable stores (sessions, subscriptions, calls,
 * call log, recordings, deliveries, SMS, counters), shared by every route module. One clock: the
 * injected `now` plus the offset `advance` adds, so every TTL and delay can be tested without
 * sleeping.
 */
import { notFound } from './errors.ts'
import { createIds, createRng, type Ids, type Rng } from './ids.ts'
import type {
  CallLogEntry,
  Counters,
  RecordingEntry,
  SessionRecord,
  SubscriptionRecord,
} from './records.ts'
import type {
  DeliveryAttempt,
  Faults,
  RateLimitGroup,
  RingCentralSimulatorOptions,
  SentSms,
  SimCall,
  SimExtension,
} from './types.ts'

export type {
  CallerInfo,
  CallLogEntry,
  Counters,
  RecordingEntry,
  SessionRecord,
  SubscriptionRecord,
} from './records.ts'

/** Resolved rate limits: requests per window for each group. */
export interface ResolvedRateLimits {
  readonly limits: Readonly<Record<RateLimitGroup, number>>
  readonly windowS: number
  readonly penaltyS: number
}

/** The options with every default applied. */
export interface SimConfig {
  readonly clientId: string
  readonly clientSecret: string
  readonly jwt: string
  readonly accountId: string
  readonly extensions: readonly SimExtension[]
  /** The JWT user: the first extension. */
  readonly ownerId: string
  readonly accessTokenTtlS: number
  readonly refreshTokenTtlS: number
  readonly maxSessions: number
  readonly rateLimits: false | ResolvedRateLimits
  readonly callLogDelayMs: number
  readonly recordingDelayMs: number
  readonly recordingBytes: number
  readonly webhookTimeoutMs: number
  readonly blacklistAfterMs: number
  readonly maxSubscriptionsPerUser: number
  readonly fetch: typeof fetch
}

/** Everything the route modules share. */
export interface SimCore {
  readonly config: SimConfig
  readonly now: () => number
  advance(ms: number): void
  readonly rng: Rng
  readonly ids: Ids
  readonly counters: Counters
  faults: Faults
  readonly urls: { platform: string; media: string }
  readonly sessions: Map<string, SessionRecord>
  /** access token → session id */
  readonly accessIndex: Map<string, string>
  /** refresh token (current or previous) → session id */
  readonly refreshIndex: Map<string, string>
  readonly subscriptions: Map<string, SubscriptionRecord>
  readonly calls: SimCall[]
  readonly callLog: CallLogEntry[]
  readonly recordings: Map<string, RecordingEntry>
  readonly deliveries: DeliveryAttempt[]
  readonly sms: SentSms[]
  /** Sync tokens carry the epoch they were issued in; expiring them bumps it. */
  syncEpoch: number
}

/** Sales reps of the default account; the first is the JWT user. */
export const defaultExtensions: readonly SimExtension[] = [
  { id: '2002', extensionNumber: '101', name: 'Morgan Reyes' },
  { id: '2003', extensionNumber: '102', name: 'Jordan Blake' },
  { id: '2004', extensionNumber: '103', name: 'Taylor Quinn' },
  { id: '2005', extensionNumber: '104', name: 'Riley Chen' },
]

const resolveRateLimits = (
  option: RingCentralSimulatorOptions['rateLimits'],
): false | ResolvedRateLimits => {
  if (option === false) return false
  const o = option ?? {}
  return {
    limits: {
      Light: o.Light ?? 50,
      Medium: o.Medium ?? 40,
      Heavy: o.Heavy ?? 10,
      Auth: o.Auth ?? 5,
    },
    windowS: o.windowS ?? 60,
    penaltyS: o.penaltyS ?? 60,
  }
}

/** Applies the defaults of {@link RingCentralSimulatorOptions}. */
export const resolveConfig = (options: RingCentralSimulatorOptions = {}): SimConfig => {
  const extensions = options.extensions?.length ? options.extensions : defaultExtensions
  return {
    clientId: options.clientId ?? 'sim-rc-client-id',
    clientSecret: options.clientSecret ?? 'sim-rc-client-secret',
    jwt: options.jwt ?? 'sim-rc-jwt-credential',
    accountId: options.accountId ?? '1001',
    extensions,
    ownerId: extensions[0]?.id ?? '2002',
    accessTokenTtlS: options.accessTokenTtlS ?? 3600,
    refreshTokenTtlS: options.refreshTokenTtlS ?? 604_800,
    maxSessions: options.maxSessions ?? 5,
    rateLimits: resolveRateLimits(options.rateLimits),
    callLogDelayMs: options.callLogDelayMs ?? 20_000,
    recordingDelayMs: options.recordingDelayMs ?? 10_000,
    recordingBytes: options.recordingBytes ?? 64 * 1024,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 3000,
    blacklistAfterMs: options.blacklistAfterMs ?? 600_000,
    maxSubscriptionsPerUser: options.maxSubscriptionsPerUser ?? 30,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  }
}

/** Creates the shared core for `options`. */
export const createSimCore = (options: RingCentralSimulatorOptions = {}): SimCore => {
  const base = options.now ?? Date.now
  let offset = 0
  const rng = createRng(options.seed ?? 20_260_302)
  return {
    config: resolveConfig(options),
    now: () => base() + offset,
    advance: (ms) => {
      offset += Math.max(0, ms)
    },
    rng,
    ids: createIds(rng),
    counters: {
      requests: { Light: 0, Medium: 0, Heavy: 0, Auth: 0 },
      served429: 0,
      served503: 0,
      tokensIssued: 0,
      refreshes: 0,
      sessionsInvalidated: 0,
      handshakes: { ok: 0, failed: 0 },
      deliveries: { attempted: 0, delivered: 0, failed: 0, dropped: 0, duplicates: 0 },
      callsPlaced: 0,
      smsSent: 0,
    },
    faults: {},
    // `.invalid` until `setBaseUrl`/`setMediaBaseUrl` (start does it): never a real RingCentral host.
    urls: { platform: 'http://platform.rc-sim.invalid', media: 'http://media.rc-sim.invalid' },
    sessions: new Map(),
    accessIndex: new Map(),
    refreshIndex: new Map(),
    subscriptions: new Map(),
    calls: [],
    callLog: [],
    recordings: new Map(),
    deliveries: [],
    sms: [],
    syncEpoch: 0,
  }
}

/** ISO 8601 of a clock value. */
export const iso = (ms: number): string => new Date(ms).toISOString()

/** The extension with this id, if the account has it. */
export const findExtension = (core: SimCore, id: string): SimExtension | undefined =>
  core.config.extensions.find((extension) => extension.id === id)

/** `~` or the account's id → the account id; anything else is 404 CMN-102. */
export const resolveAccountId = (core: SimCore, param: string): string => {
  if (param === '~' || param === core.config.accountId) return core.config.accountId
  throw notFound('accountId')
}

/** `~` (the token's owner) or a known extension id; anything else is 404 CMN-102. */
export const resolveExtensionId = (core: SimCore, param: string, ownerId: string): string => {
  if (param === '~') return ownerId
  if (findExtension(core, param)) return param
  throw notFound('extensionId')
}

/** The request URL with `~` replaced by the real account and extension ids, as RingCentral links are. */
export const canonicalUrl = (core: SimCore, url: string, ownerId: string): URL => {
  const u = new URL(url)
  u.pathname = u.pathname
    .replace(/\/account\/~(?=\/|$)/, `/account/${core.config.accountId}`)
    .replace(/\/extension\/~(?=\/|$)/, `/extension/${ownerId}`)
  return u
}
