/**
 * @module simulators/zoho/accounts
 * Zoho Accounts: `POST /oauth/v2/token` with the refresh-token grant. Parameters may come in the
 * query string (Zoho's docs), a multipart form (the official SDK) or an urlencoded body. Errors
 * are `{ "error": … }` with HTTP 200, as Zoho answers `invalid_code` (league/oauth2-client
 * reports it as "code: 200"); the throttle answer `Access Denied` uses 400 (one third-party
 * source). Limits: `tokenRequestsPer10Min` calls per refresh token in any 10 minutes (refused
 * calls count too, so retrying extends the lockout) and `maxLiveAccessTokens` live tokens per
 * refresh token (a new one invalidates the oldest).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { newAccessToken } from './format.ts'
import type { ResolvedOptions } from './options.ts'
import type { SimState } from './state.ts'

const TEN_MINUTES_MS = 10 * 60 * 1000

const TokenParams = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  refresh_token: z.string().optional(),
})

/** The body Zoho sends once the token endpoint is throttled. */
export const accessDenied = {
  error: 'Access Denied',
  error_description:
    'You have made too many requests continuously. Please try again after some time.',
} as const

const readParams = async (request: Request, query: Record<string, string>) => {
  const merged: Record<string, unknown> = { ...query }
  const type = request.headers.get('content-type') ?? ''
  if (
    type.startsWith('multipart/form-data') ||
    type.startsWith('application/x-www-form-urlencoded')
  ) {
    const form = await request.formData().catch(() => null)
    for (const [key, value] of form?.entries() ?? []) {
      if (typeof value === 'string') merged[key] = value
    }
  }
  return TokenParams.safeParse(merged)
}

/** Counts this call for `refreshToken` and says whether the 10-minute limit refuses it. */
const throttled = (state: SimState, options: ResolvedOptions, refreshToken: string): boolean => {
  const now = options.now()
  const recent = (state.tokenRequests.get(refreshToken) ?? []).filter(
    (at) => at > now - TEN_MINUTES_MS,
  )
  const refused = recent.length >= options.tokenRequestsPer10Min
  recent.push(now)
  state.tokenRequests.set(refreshToken, recent)
  return refused
}

/** Issues an access token, invalidating the oldest live one beyond the cap. */
const issue = (state: SimState, options: ResolvedOptions, refreshToken: string): string => {
  const now = options.now()
  const token = newAccessToken()
  state.tokens.set(token, {
    token,
    refreshToken,
    issuedAt: now,
    expiresAt: now + options.accessTokenTtlS * 1000,
  })
  const live = [...state.tokens.values()]
    .filter((entry) => entry.refreshToken === refreshToken && entry.expiresAt > now)
    .sort((a, b) => a.issuedAt - b.issuedAt)
  for (const old of live.slice(0, Math.max(0, live.length - options.maxLiveAccessTokens))) {
    state.tokens.delete(old.token)
  }
  return token
}

/** The Accounts routes. `apiDomain` gives the `api_domain` to return: the simulator's own URL. */
export const accountsRoutes = (
  state: SimState,
  options: ResolvedOptions,
  apiDomain: (request: Request) => string,
): Hono => {
  const app = new Hono()
  app.post('/oauth/v2/token', async (c) => {
    state.stats.tokenRequests += 1
    const parsed = await readParams(c.req.raw, c.req.query())
    if (!parsed.success) return c.json({ error: 'invalid_request' }, 200)
    const params = parsed.data
    if (params.grant_type !== 'refresh_token') {
      return c.json({ error: 'unsupported_grant_type' }, 200)
    }
    const refreshToken = params.refresh_token ?? ''
    if (throttled(state, options, refreshToken)) return c.json(accessDenied, 400)
    if (params.client_id !== options.clientId || params.client_secret !== options.clientSecret) {
      return c.json({ error: 'invalid_client' }, 200)
    }
    if (refreshToken !== options.refreshToken) return c.json({ error: 'invalid_code' }, 200)
    return c.json({
      access_token: issue(state, options, refreshToken),
      api_domain: apiDomain(c.req.raw),
      token_type: 'Bearer',
      expires_in: options.accessTokenTtlS,
    })
  })
  return app
}
