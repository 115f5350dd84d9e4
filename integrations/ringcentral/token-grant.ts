/**
 * @module integrations/ringcentral/token-grant
 * The two OAuth grants the client uses, sent through the SDK's transport (dispatcher) with Basic
 * client authentication: JWT bearer (opens a new RingCentral session, so it is the expensive one:
 * at most ~5 parallel sessions per user) and refresh_token (keeps the session). Both count against
 * the Auth group. Only token-store.ts calls these, under its cross-replica lock.
 */
import type { SDK } from '@ringcentral/sdk'
import type { Dispatcher } from './dispatcher.ts'
import { RingCentralResponseError } from './errors.ts'
import { type StoredToken, TokenResponse } from './schemas.ts'

type Platform = ReturnType<SDK['platform']>

/** Obtains tokens from RingCentral. */
export interface TokenGrant {
  /** JWT bearer grant: a new session. */
  login(): Promise<StoredToken>
  /** refresh_token grant: same session, new access and refresh tokens (the old ones die). */
  refresh(refreshToken: string): Promise<StoredToken>
}

/** Options for {@link createTokenGrant}. */
export interface TokenGrantOptions {
  readonly dispatcher: Dispatcher
  readonly platform: Platform
  readonly jwt: string
  readonly now: () => number
  /** Default `/restapi/oauth/token`. */
  readonly tokenEndpoint?: string
}

/** Creates the {@link TokenGrant}. */
export const createTokenGrant = ({
  dispatcher,
  platform,
  jwt,
  now,
  tokenEndpoint = '/restapi/oauth/token',
}: TokenGrantOptions): TokenGrant => {
  const request = async (
    grant: StoredToken['grant'],
    body: Record<string, string>,
  ): Promise<StoredToken> => {
    const response = await dispatcher.send(
      'Auth',
      {
        method: 'POST',
        url: tokenEndpoint,
        body,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: platform.basicAuthHeader(),
        },
        // A lost answer is safe to ask again: RingCentral hands out the same token for a reused
        // refresh token for a while, and a repeated JWT login costs one session, not correctness.
        idempotent: true,
      },
      { skipAuth: true },
    )
    const parsed = TokenResponse.safeParse(await response.json().catch(() => undefined))
    if (!parsed.success) {
      // Never echo the body: it holds tokens. The field paths are enough to debug.
      const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)')
      throw new RingCentralResponseError(`token response is malformed at: ${paths.join(', ')}`)
    }
    const token = parsed.data
    const at = now()
    return {
      accessToken: token.access_token,
      tokenType: token.token_type ?? 'bearer',
      expiresAt: at + token.expires_in * 1000,
      lifetimeMs: token.expires_in * 1000,
      ...(token.refresh_token ? { refreshToken: token.refresh_token } : {}),
      ...(token.refresh_token && token.refresh_token_expires_in
        ? { refreshExpiresAt: at + token.refresh_token_expires_in * 1000 }
        : {}),
      obtainedAt: at,
      grant,
      ...(token.owner_id ? { ownerId: token.owner_id } : {}),
      ...(token.session_id ? { sessionId: token.session_id } : {}),
    }
  }

  return {
    login: () =>
      request('jwt', { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
    refresh: (refreshToken) =>
      request('refresh_token', { grant_type: 'refresh_token', refresh_token: refreshToken }),
  }
}
