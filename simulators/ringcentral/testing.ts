/**
 * @module simulators/ringcentral/testing
 * Test helpers: an in-process client for the simulator's app (form-encoded token requests with
 * Basic auth, JSON API calls with a bearer token) and a real webhook receiver, served on a local
 * port, that answers the validation handshake and records every request.
 */
import { Hono } from 'hono'
import { serveApp } from '../shared/serve.ts'
import type { RingCentralSimulator } from './types.ts'

/** The JSON of a successful token request. */
export interface TokenJson {
  readonly access_token: string
  readonly token_type: string
  readonly expires_in: number
  readonly refresh_token: string
  readonly refresh_token_expires_in: number
  readonly scope: string
  readonly owner_id: string
  readonly endpoint_id: string
  readonly session_id: string
}

/** Default credentials of the simulator. */
export const simCredentials = {
  clientId: 'sim-rc-client-id',
  clientSecret: 'sim-rc-client-secret',
  jwt: 'sim-rc-jwt-credential',
} as const

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

/** `Basic base64(id:secret)`. */
export const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

/** An in-process client of `sim.app`. */
export const simClient = (
  sim: Pick<RingCentralSimulator, 'app'>,
  origin = 'http://platform.rc.test',
) => {
  const request = (path: string, init: RequestInit = {}) =>
    sim.app.request(`${origin}${path}`, init)
  const token = (
    form: Record<string, string>,
    authorization = basicAuth(simCredentials.clientId, simCredentials.clientSecret),
  ) =>
    request('/restapi/oauth/token', {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
  const json = async (res: Response): Promise<TokenJson> => {
    if (res.status !== 200)
      throw new Error(`token request failed: ${res.status} ${await res.text()}`)
    return (await res.json()) as TokenJson
  }
  const call = (method: string, path: string, accessToken: string, body?: unknown) =>
    request(path, {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  return {
    request,
    token,
    login: async () => json(await token({ grant_type: JWT_GRANT, assertion: simCredentials.jwt })),
    refresh: async (refreshToken: string) =>
      json(await token({ grant_type: 'refresh_token', refresh_token: refreshToken })),
    get: (path: string, accessToken: string) => call('GET', path, accessToken),
    post: (path: string, accessToken: string, body?: unknown) =>
      call('POST', path, accessToken, body),
    put: (path: string, accessToken: string, body?: unknown) =>
      call('PUT', path, accessToken, body),
    delete: (path: string, accessToken: string) => call('DELETE', path, accessToken),
  }
}

/** A request the receiver got. */
export interface ReceivedRequest {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly receivedAt: number
}

/** How the receiver answers. */
export interface ReceiverBehaviour {
  /** Echo `Validation-Token` on the handshake. Default true. */
  echo: boolean
  /** Extra body of the handshake answer (to exceed 1024 bytes). Default none. */
  handshakeBody: string
  /** Status of notification answers. Default 200. */
  status: number
  /** Delay of every answer, ms. Default 0. */
  delayMs: number
}

/** Serves a webhook receiver on a free local port; `behaviour` can be changed while it runs. */
export const startReceiver = async (initial: Partial<ReceiverBehaviour> = {}) => {
  const behaviour: ReceiverBehaviour = {
    echo: true,
    handshakeBody: '',
    status: 200,
    delayMs: 0,
    ...initial,
  }
  const requests: ReceivedRequest[] = []
  const app = new Hono()
  app.post('/hook', async (c) => {
    const body = await c.req.text()
    requests.push({ headers: Object.fromEntries(c.req.raw.headers), body, receivedAt: Date.now() })
    if (behaviour.delayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs))
    const validationToken = c.req.header('validation-token')
    if (validationToken !== undefined) {
      if (behaviour.echo) c.header('Validation-Token', validationToken)
      return behaviour.handshakeBody ? c.text(behaviour.handshakeBody) : c.body(null, 200)
    }
    return new Response(JSON.stringify({ status: 'accepted' }), {
      status: behaviour.status,
      headers: { 'content-type': 'application/json' },
    })
  })
  const served = await serveApp(app)
  return {
    url: `${served.url}/hook`,
    behaviour,
    requests,
    /** The parsed JSON bodies of notifications (handshakes excluded). */
    notifications: () =>
      requests
        .filter((r) => r.headers['validation-token'] === undefined)
        .map((r) => JSON.parse(r.body) as unknown),
    close: () => served.close(),
  }
}

/** A valid subscription request body for `address` with `filters`. */
export const subscriptionBody = (
  address: string,
  filters: readonly string[] = ['/restapi/v1.0/account/~/telephony/sessions'],
  extra: { verificationToken?: string; expiresIn?: number } = {},
) => ({
  eventFilters: [...filters],
  deliveryMode: {
    transportType: 'WebHook',
    address,
    verificationToken: extra.verificationToken ?? 'verify-token-123',
  },
  ...(extra.expiresIn === undefined ? {} : { expiresIn: extra.expiresIn }),
})
