/**
 * @module simulators/ringcentral/bearer
 * Bearer authentication of API requests. The platform API takes the `Authorization` header only;
 * the media API also takes an `access_token` query parameter (as recording `contentUri` links
 * allow). Failures are 401 in RingCentral's shape: AGW-401 without a header, OAU-149 for a string
 * that is no token, OAU-213 "Token not found" for unknown, expired, revoked or invalidated tokens.
 */
import type { MiddlewareHandler } from 'hono'
import { apiError } from './errors.ts'
import { authenticate } from './sessions.ts'
import type { SessionRecord, SimCore } from './state.ts'

/** Hono environment of authenticated routes: the caller's session. */
export interface SimEnv {
  Variables: { session: SessionRecord }
}

const bearerToken = (header: string | undefined): string | undefined => {
  const match = /^bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

/** Requires a live access token; sets `session`. */
export const bearer =
  (core: SimCore, { allowQueryToken = false } = {}): MiddlewareHandler<SimEnv> =>
  async (c, next) => {
    const token =
      bearerToken(c.req.header('authorization')) ??
      (allowQueryToken ? c.req.query('access_token') : undefined)
    if (token === undefined || token === '') {
      throw apiError(401, 'AGW-401', 'Authorization header is not specified')
    }
    c.set('session', authenticate(core, token))
    await next()
  }

/** Answers 503 CMN-201 with the probability the `serviceUnavailable` fault sets. */
export const serviceFaults =
  (core: SimCore): MiddlewareHandler =>
  async (_c, next) => {
    const p = core.faults.serviceUnavailable ?? 0
    if (p > 0 && core.rng.next() < p) {
      core.counters.served503++
      throw apiError(503, 'CMN-201', 'Service Temporary Unavailable', {
        headers: { 'Retry-After': '5' },
      })
    }
    await next()
  }
