/**
 * @module simulators/zoho/auth
 * CRM API authentication: `Authorization: Zoho-oauthtoken <access token>`. No header, or another
 * scheme, is 401 AUTHENTICATION_FAILURE; an unknown, expired or invalidated token is 401
 * INVALID_TOKEN "invalid oauth token" (the body real clients see every hour when they forget
 * to refresh).
 */
import type { MiddlewareHandler } from 'hono'
import { errors } from './errors.ts'
import type { ResolvedOptions } from './options.ts'
import type { SimState } from './state.ts'

const HEADER = /^Zoho-oauthtoken\s+(\S+)\s*$/

export const requireToken =
  (state: SimState, options: ResolvedOptions): MiddlewareHandler =>
  async (c, next) => {
    const token = HEADER.exec(c.req.header('authorization') ?? '')?.[1]
    if (token === undefined) throw errors.authenticationFailure()
    const entry = state.tokens.get(token)
    if (!entry || entry.expiresAt <= options.now()) throw errors.invalidToken()
    await next()
  }
