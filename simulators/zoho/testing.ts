/**
 * @module simulators/zoho/testing
 * Helpers for tests that talk to the simulator in-process: get an access token and call the CRM
 * API with it. Also usable by other packages' tests.
 */
import type { ZohoSimulator } from './app.ts'

/** The default OAuth credentials the simulator accepts. */
export const simCredentials = {
  clientId: 'sim-zoho-client-id',
  clientSecret: 'sim-zoho-client-secret',
  refreshToken: 'sim-zoho-refresh-token',
} as const

/** The configuration variables that point callbridge at a simulator on `url`, with its credentials. */
export const simZohoEnv = (url: string) => ({
  ZOHO_ACCOUNTS_URL: url,
  ZOHO_CLIENT_ID: simCredentials.clientId,
  ZOHO_CLIENT_SECRET: simCredentials.clientSecret,
  ZOHO_REFRESH_TOKEN: simCredentials.refreshToken,
})

/** The token URL query of a refresh-token grant with the default credentials. */
export const refreshGrantQuery = (refreshToken: string = simCredentials.refreshToken): string =>
  new URLSearchParams({
    refresh_token: refreshToken,
    client_id: simCredentials.clientId,
    client_secret: simCredentials.clientSecret,
    grant_type: 'refresh_token',
  }).toString()

/** A fresh access token from the simulator (refresh-token grant in the query string). */
export const grantAccessToken = async (sim: ZohoSimulator): Promise<string> => {
  const response = await sim.app.request(`/oauth/v2/token?${refreshGrantQuery()}`, {
    method: 'POST',
  })
  const body = (await response.json()) as { access_token?: string; error?: string }
  if (!body.access_token) throw new Error(`token grant failed: ${JSON.stringify(body)}`)
  return body.access_token
}

/** A response whose `json()` is typed {@link ZohoJson}. */
export type ZohoResponse = Omit<Response, 'json'> & { json(): Promise<ZohoJson> }

/** A CRM client for `sim.app.request` that sends `Authorization: Zoho-oauthtoken <token>`. */
export const crmClient = (sim: ZohoSimulator, token: string) => {
  const request = async (path: string, init: RequestInit = {}): Promise<ZohoResponse> =>
    (await sim.app.request(path, {
      ...init,
      headers: { authorization: `Zoho-oauthtoken ${token}`, ...init.headers },
    })) as ZohoResponse
  const json = (method: string, path: string, body: unknown) =>
    request(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  return {
    request,
    get: (path: string) => request(path),
    post: (path: string, body: unknown) => json('POST', path, body),
    put: (path: string, body: unknown) => json('PUT', path, body),
    patch: (path: string, body: unknown) => json('PATCH', path, body),
    delete: (path: string) => request(path, { method: 'DELETE' }),
  }
}

/** A simulator-independent mutable clock for `now`. */
export const manualClock = (start = Date.parse('2026-03-02T10:00:00Z')) => {
  let at = start
  return {
    now: () => at,
    advance: (ms: number) => {
      at += ms
    },
  }
}

/** One item of `data[]` / `watch[]` (or a record), loosely typed for assertions. */
export interface ZohoJsonItem {
  readonly id?: string
  readonly code?: string
  readonly status?: string
  readonly message?: string
  readonly action?: string
  readonly details?: { readonly id?: string; readonly [key: string]: unknown }
  readonly events?: readonly string[]
  readonly [key: string]: unknown
}

/** A Zoho JSON answer, loosely typed for assertions. */
export interface ZohoJson {
  readonly data?: readonly ZohoJsonItem[]
  readonly watch?: readonly ZohoJsonItem[]
  readonly info?: Readonly<Record<string, unknown>>
  readonly access_token?: string
  readonly api_domain?: string
  readonly code?: string
  readonly [key: string]: unknown
}

/** The JSON body of a response, typed as {@link ZohoJson}. */
export const jsonOf = async (response: Response): Promise<ZohoJson> =>
  (await response.json()) as ZohoJson

/** The id in `data[0].details` of a write answer ('' when absent). */
export const firstId = (body: ZohoJson): string => String(body.data?.[0]?.details?.id ?? '')
