/**
 * @module simulators/ringcentral/records
 * The records the simulator stores: sessions, subscriptions, call-log entries, recordings and the
 * counters behind `stats()`. Plain mutable data, owned by the core in `state.ts`.
 */
import type { RateLimitGroup } from './types.ts'

/** One login: its current token pair and the previous refresh token (grace window). */
export interface SessionRecord {
  readonly id: string
  readonly ownerId: string
  readonly clientId: string
  readonly endpointId: string
  readonly createdAt: number
  accessToken: string
  accessExpiresAt: number
  /** When the token really dies: `accessExpiresAt`, or earlier under the tokenExpiry fault. */
  accessDiesAt: number
  accessFirstUsedAt: number | undefined
  refreshToken: string
  refreshExpiresAt: number
  previousRefresh: { readonly token: string; readonly rotatedAt: number } | undefined
  endedBy: 'revoked' | 'session-limit' | undefined
}

/** A webhook subscription, with its delivery health. */
export interface SubscriptionRecord {
  readonly id: string
  readonly ownerId: string
  readonly clientId: string
  readonly address: string
  readonly verificationToken: string | undefined
  readonly creationTime: number
  eventFilters: string[]
  /** The expiresIn asked for at creation or on the last PUT; renew keeps it. */
  requestedExpiresIn: number
  expirationTime: number
  status: 'Active' | 'Blacklisted'
  blacklistedData: { blacklistedAt: string; reason: string } | undefined
  delivered: number
  consecutiveFailures: number
  totalFailures: number
  failingSince: number | undefined
  lastError: string | undefined
  lastReminderAt: number | undefined
}

/** `from` / `to` of a call-log record. */
export interface CallerInfo {
  readonly phoneNumber?: string | undefined
  readonly extensionNumber?: string | undefined
  readonly extensionId?: string | undefined
  readonly name?: string | undefined
}

/** A call-log record before rendering (URIs depend on the request's origin). */
export interface CallLogEntry {
  readonly id: string
  readonly telephonySessionId: string
  readonly sessionId: string
  readonly partyId: string
  readonly extensionId: string
  readonly startMs: number
  readonly durationMs: number
  readonly direction: 'Inbound' | 'Outbound'
  readonly action: string
  readonly result: string
  readonly reason: string | undefined
  readonly legType: string
  readonly from: CallerInfo
  readonly to: CallerInfo
  /** When the record appears in the call log (simulator clock). */
  readonly availableAt: number
  readonly recording: { readonly id: string; readonly availableAt: number } | undefined
  readonly messageId: string | undefined
}

/** A call recording. */
export interface RecordingEntry {
  readonly id: string
  readonly telephonySessionId: string
  readonly durationS: number
  readonly availableAt: number
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] }

/** Counters behind `stats()`. */
export interface Counters {
  requests: Record<RateLimitGroup, number>
  served429: number
  served503: number
  tokensIssued: number
  refreshes: number
  sessionsInvalidated: number
  handshakes: { ok: number; failed: number }
  deliveries: Mutable<{
    attempted: number
    delivered: number
    failed: number
    dropped: number
    duplicates: number
  }>
  callsPlaced: number
  smsSent: number
}
