/**
 * @module simulators/ringcentral/oauth
 * `POST /restapi/oauth/token` (jwt-bearer and refresh_token grants; form body; Basic client auth;
 * Auth rate-limit group) and `POST /restapi/oauth/revoke` (`token=`, ends the whole session).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { oauthError } from './errors.ts'
import { limiterKey, type RateLimiter, rateExceeded } from './rate-limit.ts'
import { login, refresh, revoke, tokenResponse } from './sessions.ts'
import type { SimCore } from './state.ts'

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

const TokenForm = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal(JWT_BEARER),
    assertion: z.string(),
    access_token_ttl: z.string().optional(),
    refresh_token_ttl: z.string().optional(),
  }),
  z.object({
    grant_type: z.literal('refresh_token'),
    refresh_token: z.string(),
    access_token_ttl: z.string().optional(),
    refresh_token_ttl: z.string().optional(),
  }),
])

const formOf = async (request: Request): Promise<Record<string, string>> => {
  const type = request.headers.get('content-type') ?? ''
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw oauthError(400, 'invalid_request', 'CMN-104', 'Cannot parse request')
  }
  return Object.fromEntries(new URLSearchParams(await request.text()))
}

/** Checks `Authorization: Basic base64(clientId:clientSecret)`; returns the client id. */
const clientOf = (core: SimCore, header: string | undefined): string => {
  const match = /^basic\s+(\S+)$/i.exec(header ?? '')
  if (!match?.[1]) {
    throw oauthError(401, 'invalid_client', 'OAU-123', 'Invalid Authorization header value')
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const id = decoded.slice(0, Math.max(0, colon))
  const secret = decoded.slice(colon + 1)
  if (colon < 0 || id !== core.config.clientId || secret !== core.config.clientSecret) {
    throw oauthError(401, 'invalid_client', 'OAU-146', 'Invalid client credentials')
  }
  return id
}

/** The OAuth routes. */
export const oauthRoutes = (core: SimCore, limiter: RateLimiter): Hono => {
  const app = new Hono()

  app.post('/restapi/oauth/token', async (c) => {
    const clientId = clientOf(core, c.req.header('authorization'))
    const decision = limiter.take(limiterKey(clientId, core.config.ownerId), 'Auth')
    if (!decision.allowed) throw rateExceeded(decision.headers)
    for (const [name, value] of Object.entries(decision.headers)) c.header(name, value)
    const raw = await formOf(c.req.raw)
    const parsed = TokenForm.safeParse(raw)
    if (!parsed.success) {
      const grant = raw['grant_type']
      if (grant === JWT_BEARER || grant === 'refresh_token') {
        const name = grant === JWT_BEARER ? 'assertion' : 'refresh_token'
        throw oauthError(400, 'invalid_request', 'CMN-101', `Parameter [${name}] value is invalid.`)
      }
      throw oauthError(
        400,
        'unsupported_grant_type',
        'OAU-125',
        'Grant type is not allowed for application.',
      )
    }
    const form = parsed.data
    const ttls = { accessTtl: form.access_token_ttl, refreshTtl: form.refresh_token_ttl }
    if (form.grant_type === JWT_BEARER) {
      if (form.assertion !== core.config.jwt) {
        throw oauthError(400, 'invalid_grant', 'OAU-140', 'Invalid resource owner credentials.')
      }
      return c.json(tokenResponse(core, login(core, clientId, ttls)))
    }
    return c.json(tokenResponse(core, refresh(core, clientId, form.refresh_token, ttls)))
  })

  app.post('/restapi/oauth/revoke', async (c) => {
    const clientId = clientOf(core, c.req.header('authorization'))
    const decision = limiter.take(limiterKey(clientId, core.config.ownerId), 'Auth')
    if (!decision.allowed) throw rateExceeded(decision.headers)
    const token = (await formOf(c.req.raw))['token']
    if (token) revoke(core, token)
    return c.body(null, 200)
  })

  return app
}
