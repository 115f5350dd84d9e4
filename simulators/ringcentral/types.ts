/**
 * @module simulators/ringcentral/types
 * Public types of the RingCentral simulator: its options, the calls it places, the faults it can
 * inject and the read-only views tests inspect. Everything here is plain data (JSON-ready).
 */
import type { Hono } from 'hono'
import type { RingCentralEnvelope } from '../../schemas/ringcentral/envelope.ts'
import type { TelephonySessionBody } from '../../schemas/ringcentral/telephony-session.ts'

/** RingCentral's API rate-limit groups. */
export type RateLimitGroup = 'Light' | 'Medium' | 'Heavy' | 'Auth'

/** An extension (user) of the simulated account. */
export interface SimExtension {
  readonly id: string
  readonly extensionNumber: string
  readonly name: string
}

/** Requests per window for each group, the window and the penalty (seconds). */
export interface RateLimitOptions {
  Light?: number | undefined
  Medium?: number | undefined
  Heavy?: number | undefined
  Auth?: number | undefined
  windowS?: number | undefined
  penaltyS?: number | undefined
}

/** Options of {@link createRingCentralSimulator}. Every field has a documented default. */
export interface RingCentralSimulatorOptions {
  /** Default `sim-rc-client-id`. */
  clientId?: string | undefined
  /** Default `sim-rc-client-secret`. */
  clientSecret?: string | undefined
  /** The accepted JWT credential (the `assertion`). Default `sim-rc-jwt-credential`. */
  jwt?: string | undefined
  /** Default `1001`. */
  accountId?: string | undefined
  /** The account's extensions; the first one is the JWT user (default id `2002`). */
  extensions?: { id: string; extensionNumber: string; name: string }[] | undefined
  /** Access token lifetime. Default 3600 s. */
  accessTokenTtlS?: number | undefined
  /** Refresh token lifetime. Default 604800 s (7 days). */
  refreshTokenTtlS?: number | undefined
  /** Parallel sessions per user and app; a new login beyond it invalidates the oldest. Default 5. */
  maxSessions?: number | undefined
  /** Per user, app and group; `false` disables limiting. Default 50/40/10/5 per 60 s, penalty 60 s. */
  rateLimits?: false | RateLimitOptions | undefined
  /** Delay after a call ends before its call-log records appear. Default 20000 ms. */
  callLogDelayMs?: number | undefined
  /** Further delay before a recording (metadata and content) is available. Default 10000 ms. */
  recordingDelayMs?: number | undefined
  /** Size of the generated audio/mpeg content. Default 65536. */
  recordingBytes?: number | undefined
  /** Timeout of the validation handshake and of each delivery. Default 3000 ms. */
  webhookTimeoutMs?: number | undefined
  /** A subscription whose deliveries keep failing this long becomes Blacklisted. Default 600000 ms. */
  blacklistAfterMs?: number | undefined
  /** Default 30 (403 SUB-505 beyond). */
  maxSubscriptionsPerUser?: number | undefined
  /** The clock every TTL, delay and timestamp uses. Default `Date.now`. */
  now?: (() => number) | undefined
  /** Used for webhook deliveries and handshakes. Default the global `fetch`. */
  fetch?: typeof fetch | undefined
  /** Seed of the id generator (ids, tokens, uuids and fault dice). Default 20260302. */
  seed?: number | undefined
}

/** Faults of one call's notifications; they override the global {@link Faults}. */
export interface CallFaults {
  /** In (0, 1): probability that a notification is delivered twice. ≥ 1: that many extra copies. */
  duplicate?: number | undefined
  /** Deliver this call's notifications in a shuffled order (at least one inversion). */
  reorder?: boolean | undefined
  /** Probability (0–1) that each notification is not delivered at all. */
  drop?: number | undefined
  /** Real-time delay before each delivery, ms. */
  delayMs?: number | undefined
}

/** A call for {@link RingCentralSimulator.placeCall} (and `POST /_sim/calls`). */
export interface CallSpec {
  direction: 'Inbound' | 'Outbound'
  /** E.164, e.g. `+15550111`. */
  from: string
  to: string
  /** The answering (Inbound) or placing (Outbound) extension. Default: the JWT user. */
  extensionId?: string | undefined
  result: 'answered' | 'missed' | 'voicemail'
  /** Talk time (answered), ring time (missed) or message length (voicemail), seconds. */
  durationS?: number | undefined
  /** Record the call (answered calls only). */
  recording?: boolean | undefined
  /** Extension id the call is blind-transferred to after the first answer. */
  transferTo?: string | undefined
  callerName?: string | undefined
  faults?: CallFaults | undefined
}

/** A placed call, as the simulator knows it. */
export interface SimCall {
  readonly telephonySessionId: string
  /** Legacy call session id (the Call Log's `sessionId`). */
  readonly sessionId: string
  readonly spec: CallSpec
  /** The extension that answered or placed the call. */
  readonly extensionId: string
  readonly startTime: string
  readonly endTime: string
  /** Every telephony-session event body of the call, in sequence order. */
  readonly events: readonly TelephonySessionBody[]
  readonly callLogRecordIds: readonly string[]
  readonly recordingId?: string
  readonly voicemailMessageId?: string
  /** When (simulator clock) the call-log records appear. */
  readonly callLogAvailableAt: string
  /** When (simulator clock) the recording becomes available. */
  readonly recordingAvailableAt?: string
}

/** Global faults (`setFaults`, `POST /_sim/faults`). Replaces the previous set entirely. */
export interface Faults {
  /** Probability (0–1) that a notification is not delivered. */
  webhookDrop?: number | undefined
  /** As {@link CallFaults.duplicate}, for every notification. */
  duplicate?: number | undefined
  /** Shuffle the notifications of each call. */
  reorder?: boolean | undefined
  /** Real-time delay before each delivery, ms. */
  delayMs?: number | undefined
  /**
   * Access tokens die this many seconds after they are issued, whatever `expires_in` said: a
   * client that refreshes only from `expires_in` then meets 401s.
   */
  tokenExpiry?: number | undefined
  /** Probability (0–1) that an API request answers 503 CMN-201 (with Retry-After). */
  serviceUnavailable?: number | undefined
}

/** One delivery attempt of a notification to a subscription (or one dropped on purpose). */
export interface DeliveryAttempt {
  /** 1, 2, … in the order attempts were made. */
  readonly seq: number
  readonly subscriptionId: string
  readonly address: string
  readonly uuid: string
  readonly event: string
  readonly kind: 'telephony-session' | 'voicemail' | 'message-store' | 'subscription-reminder'
  readonly telephonySessionId?: string
  readonly sequence?: number
  readonly attemptedAt: string
  readonly outcome: 'delivered' | 'failed' | 'dropped'
  /** HTTP status of the receiver's answer, when it answered. */
  readonly status?: number
  /** Why it failed (timeout, connection error, non-200). */
  readonly error?: string
  readonly latencyMs: number
  /** True for the extra copies of a duplicated notification. */
  readonly duplicate: boolean
  /** The JSON body sent (or that would have been sent). */
  readonly payload: RingCentralEnvelope
}

/** A subscription as `/_sim/subscriptions` shows it: no verification token. */
export interface SubscriptionView {
  readonly id: string
  readonly ownerId: string
  readonly status: 'Active' | 'Blacklisted'
  readonly address: string
  readonly eventFilters: readonly string[]
  readonly creationTime: string
  readonly expirationTime: string
  readonly blacklistedData?: { readonly blacklistedAt: string; readonly reason: string }
  readonly delivered: number
  readonly failures: {
    readonly consecutive: number
    readonly total: number
    readonly failingSince?: string
    readonly lastError?: string
  }
}

/** A session (one login) without its tokens. */
export interface SessionView {
  readonly sessionId: string
  readonly ownerId: string
  readonly clientId: string
  readonly createdAt: string
  readonly accessExpiresAt: string
  readonly refreshExpiresAt: string
  readonly live: boolean
  /** Why the session ended: `revoked`, `session-limit`, or unset. */
  readonly endedBy?: string
}

/** An SMS sent through the API. */
export interface SentSms {
  readonly id: number
  readonly ownerId: string
  readonly from: string
  readonly to: readonly string[]
  readonly text: string
  readonly creationTime: string
}

/** A call-log record as the simulator stores it. */
export interface CallLogView {
  readonly id: string
  readonly telephonySessionId: string
  readonly extensionId: string
  readonly result: string
  readonly startTime: string
  readonly availableAt: string
  readonly recordingId?: string
}

/** Counters since the simulator was created. */
export interface SimStats {
  readonly requests: Readonly<Record<RateLimitGroup, number>>
  readonly served429: number
  readonly served503: number
  readonly tokensIssued: number
  readonly refreshes: number
  readonly sessionsInvalidated: number
  readonly handshakes: { readonly ok: number; readonly failed: number }
  readonly deliveries: {
    readonly attempted: number
    readonly delivered: number
    readonly failed: number
    readonly dropped: number
    readonly duplicates: number
  }
  readonly callsPlaced: number
  readonly smsSent: number
}

/** Read-only snapshots for tests; every read returns a fresh copy. */
export interface RingCentralSimulatorState {
  readonly calls: readonly SimCall[]
  readonly subscriptions: readonly SubscriptionView[]
  readonly deliveries: readonly DeliveryAttempt[]
  readonly sms: readonly SentSms[]
  readonly sessions: readonly SessionView[]
  readonly callLog: readonly CallLogView[]
}

/** A RingCentral simulator: the platform API, the media API and the call generator. */
export interface RingCentralSimulator {
  /** Platform API (`/restapi/...`) and the `/_sim` control API. */
  readonly app: Hono
  /** Media API: recording content only. Serve it on its own port. */
  readonly mediaApp: Hono
  /** Places a call: its events are delivered promptly; call log and recording follow later. */
  placeCall(spec: CallSpec): Promise<SimCall>
  readonly state: RingCentralSimulatorState
  /** Base URL of the served media app, used in `contentUri`. */
  setMediaBaseUrl(url: string): void
  /** Base URL of the served platform app, used in notification payload links. */
  setBaseUrl(url: string): void
  setFaults(faults: Faults): void
  stats(): SimStats
  /** Resolves when every queued delivery has been attempted. */
  flush(): Promise<void>
  /** Moves the simulator clock forward (added to the injected clock). */
  advance(ms: number): void
  /** The simulator clock, ms. */
  now(): number
  /** Every live access token dies now (401 OAU-213 on next use); `refresh` too kills refresh tokens. */
  expireTokens(options?: { refresh?: boolean }): number
  /** Every call-log sync token issued so far becomes expired (400 CLG-101 on ISync). */
  expireSyncTokens(): void
}
