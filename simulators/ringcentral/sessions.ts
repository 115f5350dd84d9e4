/**
 * @module simulators/ringcentral/sessions
 * OAuth sessions, without HTTP: login (one session per JWT login, at most `maxSessions` per user
 * and app, the oldest invalidated), single-use refresh with the documented grace window, revoke,
 * and access-token checks.
 *
 * Grace window (implemented): after a refresh, the previous refresh token still answers with the
 * same new token pair for 60 min while the new access token is unused, and for 10 s after its
 * first use. Outside it, reuse is 400 invalid_grant OAU-211.
 */
import { oauthError, RingCentralApiError, tokenNotFound } from './errors.ts'
import { isTokenShaped } from './ids.ts'
import { iso, type SessionRecord, type SimCore } from './state.ts'
import type { SessionView } from './types.ts'

const GRACE_UNUSED_MS = 60 * 60_000
const GRACE_AFTER_USE_MS = 10_000
const MAX_REFRESH_TTL_S = 2_592_000
const MIN_ACCESS_TTL_S = 600

/** The app permissions the simulated app has. */
export const grantedScope =
  'CallControl ReadAccounts ReadCallLog ReadCallRecording ReadMessages SMS WebhookSubscriptions'

/** Requested TTLs (`access_token_ttl`, `refresh_token_ttl` form fields), possibly absent. */
export interface RequestedTtls {
  readonly accessTtl?: string | undefined
  readonly refreshTtl?: string | undefined
}

const ttl = (requested: string | undefined, fallback: number, min: number, max: number) => {
  const n = Number(requested)
  if (requested === undefined || !Number.isInteger(n) || n < min) return fallback
  return Math.min(n, max)
}

const isLive = (session: SessionRecord, now: number) =>
  session.endedBy === undefined && session.refreshExpiresAt > now

const issuePair = (core: SimCore, session: SessionRecord, ttls: RequestedTtls) => {
  const { config } = core
  const now = core.now()
  const accessTtlS = ttl(
    ttls.accessTtl,
    config.accessTokenTtlS,
    MIN_ACCESS_TTL_S,
    config.accessTokenTtlS,
  )
  const refreshTtlS = ttl(
    ttls.refreshTtl,
    config.refreshTokenTtlS,
    1,
    Math.max(MAX_REFRESH_TTL_S, config.refreshTokenTtlS),
  )
  core.accessIndex.delete(session.accessToken)
  session.accessToken = core.ids.accessToken()
  session.accessExpiresAt = now + accessTtlS * 1000
  const early = core.faults.tokenExpiry
  session.accessDiesAt =
    early === undefined
      ? session.accessExpiresAt
      : Math.min(session.accessExpiresAt, now + early * 1000)
  session.accessFirstUsedAt = undefined
  session.refreshToken = core.ids.refreshToken()
  session.refreshExpiresAt = now + refreshTtlS * 1000
  core.accessIndex.set(session.accessToken, session.id)
  core.refreshIndex.set(session.refreshToken, session.id)
  core.counters.tokensIssued++
}

const end = (core: SimCore, session: SessionRecord, why: 'revoked' | 'session-limit') => {
  session.endedBy = why
  core.accessIndex.delete(session.accessToken)
  core.refreshIndex.delete(session.refreshToken)
  if (session.previousRefresh) core.refreshIndex.delete(session.previousRefresh.token)
}

/** A new session for the JWT user; invalidates the oldest ones beyond `maxSessions`. */
export const login = (core: SimCore, clientId: string, ttls: RequestedTtls): SessionRecord => {
  const now = core.now()
  const ownerId = core.config.ownerId
  const live = [...core.sessions.values()]
    .filter((s) => s.ownerId === ownerId && s.clientId === clientId && isLive(s, now))
    .sort((a, b) => a.createdAt - b.createdAt)
  for (const oldest of live.slice(0, Math.max(0, live.length - core.config.maxSessions + 1))) {
    end(core, oldest, 'session-limit')
    core.counters.sessionsInvalidated++
  }
  const session: SessionRecord = {
    id: core.ids.opaque(22),
    ownerId,
    clientId,
    endpointId: core.ids.opaque(22),
    createdAt: now,
    accessToken: '',
    accessExpiresAt: now,
    accessDiesAt: now,
    accessFirstUsedAt: undefined,
    refreshToken: '',
    refreshExpiresAt: now,
    previousRefresh: undefined,
    endedBy: undefined,
  }
  core.sessions.set(session.id, session)
  issuePair(core, session, ttls)
  return session
}

const revoked = () => oauthError(400, 'invalid_grant', 'OAU-211', 'Token revoked')

/** The refresh_token grant: rotates the pair (single use), or replays it within the grace window. */
export const refresh = (
  core: SimCore,
  clientId: string,
  refreshToken: string,
  ttls: RequestedTtls,
): SessionRecord => {
  const now = core.now()
  const session = core.sessions.get(core.refreshIndex.get(refreshToken) ?? '')
  if (!session || session.clientId !== clientId || !isLive(session, now)) {
    throw oauthError(400, 'invalid_grant', 'OAU-213', 'Token not found')
  }
  if (refreshToken === session.refreshToken) {
    if (session.previousRefresh) core.refreshIndex.delete(session.previousRefresh.token)
    session.previousRefresh = { token: refreshToken, rotatedAt: now }
    issuePair(core, session, ttls)
    core.counters.refreshes++
    return session
  }
  const previous = session.previousRefresh
  if (previous?.token !== refreshToken) throw revoked()
  const used = session.accessFirstUsedAt
  const inGrace =
    used === undefined
      ? now - previous.rotatedAt <= GRACE_UNUSED_MS
      : now - used <= GRACE_AFTER_USE_MS
  if (!inGrace || session.accessDiesAt <= now) throw revoked()
  return session
}

/** The token endpoint's JSON for a session's current pair. */
export const tokenResponse = (core: SimCore, session: SessionRecord) => {
  const now = core.now()
  return {
    access_token: session.accessToken,
    token_type: 'bearer',
    expires_in: Math.max(0, Math.round((session.accessExpiresAt - now) / 1000)),
    refresh_token: session.refreshToken,
    refresh_token_expires_in: Math.max(0, Math.round((session.refreshExpiresAt - now) / 1000)),
    scope: grantedScope,
    owner_id: session.ownerId,
    endpoint_id: session.endpointId,
    session_id: session.id,
  }
}

/** Ends the session an access or refresh token belongs to (unknown tokens are ignored). */
export const revoke = (core: SimCore, token: string): boolean => {
  const id = core.accessIndex.get(token) ?? core.refreshIndex.get(token)
  const session = id === undefined ? undefined : core.sessions.get(id)
  if (!session || session.endedBy) return false
  end(core, session, 'revoked')
  return true
}

/**
 * The session of a live access token. Throws 401: OAU-149 (TokenInvalid) for a string that is
 * not a token, OAU-213 "Token not found" for unknown, revoked, invalidated or expired ones.
 */
export const authenticate = (core: SimCore, token: string): SessionRecord => {
  if (!isTokenShaped(token)) {
    throw new RingCentralApiError(401, {
      errorCode: 'TokenInvalid',
      message: 'Unparsable access token',
      errors: [{ errorCode: 'OAU-149', message: 'Unparsable access token' }],
    })
  }
  const now = core.now()
  const session = core.sessions.get(core.accessIndex.get(token) ?? '')
  if (!session || session.accessToken !== token || session.accessDiesAt <= now) {
    throw tokenNotFound()
  }
  session.accessFirstUsedAt ??= now
  return session
}

/** Kills every live access token (and, with `refresh`, refresh tokens). Returns how many sessions. */
export const expireTokens = (core: SimCore, { refresh: alsoRefresh = false } = {}): number => {
  const now = core.now()
  let count = 0
  for (const session of core.sessions.values()) {
    if (!isLive(session, now)) continue
    session.accessDiesAt = now
    session.accessExpiresAt = Math.min(session.accessExpiresAt, now)
    if (alsoRefresh) session.refreshExpiresAt = now
    count++
  }
  return count
}

/** Sessions without their tokens. */
export const sessionViews = (core: SimCore): SessionView[] => {
  const now = core.now()
  return [...core.sessions.values()].map((s) => ({
    sessionId: s.id,
    ownerId: s.ownerId,
    clientId: s.clientId,
    createdAt: iso(s.createdAt),
    accessExpiresAt: iso(s.accessExpiresAt),
    refreshExpiresAt: iso(s.refreshExpiresAt),
    live: isLive(s, now),
    ...(s.endedBy === undefined ? {} : { endedBy: s.endedBy }),
  }))
}
