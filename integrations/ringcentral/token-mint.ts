/**
 * @module integrations/ringcentral/token-mint
 * How a new token is made, by whoever holds the token lock (token-store.ts): the refresh_token
 * grant while the refresh token lives (same session), a JWT login otherwise or when the refresh
 * token is rejected. A rejected login is remembered in the kv store for a while, so no replica
 * keeps asking the token endpoint with credentials that do not work.
 */
import type { Kv } from '../../platform/kv/port.ts'
import { RingCentralApiError, RingCentralUnavailableError } from './errors.ts'
import type { RingCentralLogger } from './logger.ts'
import type { StoredToken } from './schemas.ts'
import type { TokenGrant } from './token-grant.ts'

/** Options for {@link createMinter}. */
export interface MinterOptions {
  readonly kv: Kv
  /** Where a rejected login is remembered. */
  readonly failureKey: string
  readonly grant: TokenGrant
  readonly now: () => number
  readonly logger: RingCentralLogger
  /** How long a rejected JWT login blocks further logins. */
  readonly loginFailureBackoffMs: number
}

/** Makes tokens (lock held by the caller). */
export interface Minter {
  /** A new token: refreshed from `previous` when possible, else a JWT login. */
  mint(previous: StoredToken | null): Promise<StoredToken>
  /** Whether `token` carries a refresh token that is still alive. */
  refreshable(token: StoredToken | null): token is StoredToken & { refreshToken: string }
  /** Throws while a rejected login is remembered. */
  assertNoRecentFailure(): Promise<void>
}

const rejectedCredentials = (error: unknown): error is RingCentralApiError =>
  error instanceof RingCentralApiError && [400, 401, 403].includes(error.status)

/** Creates the {@link Minter}. */
export const createMinter = ({
  kv,
  failureKey,
  grant,
  now,
  logger,
  loginFailureBackoffMs,
}: MinterOptions): Minter => {
  const refreshable = (
    token: StoredToken | null,
  ): token is StoredToken & { refreshToken: string } =>
    token?.refreshToken !== undefined &&
    (token.refreshExpiresAt === undefined || token.refreshExpiresAt - now() > 5_000)

  const login = async (): Promise<StoredToken> => {
    try {
      const token = await grant.login()
      logger.info({ grant: 'jwt', sessionId: token.sessionId }, 'ringcentral JWT login')
      return token
    } catch (error) {
      if (rejectedCredentials(error)) {
        const reason = `${error.status}${error.errorCode ? ` ${error.errorCode}` : ''}`
        // Best effort: failing to remember it must not hide the login error itself.
        await kv.set(failureKey, reason, loginFailureBackoffMs).catch(() => undefined)
      }
      throw error
    }
  }

  return {
    refreshable,
    mint: async (previous) => {
      if (!refreshable(previous)) return login()
      try {
        const token = await grant.refresh(previous.refreshToken)
        logger.info({ grant: 'refresh_token' }, 'ringcentral token refreshed')
        return token
      } catch (error) {
        if (!rejectedCredentials(error)) throw error
        logger.warn(
          { errorCode: error.errorCode },
          'ringcentral refresh token rejected: logging in with the JWT',
        )
        return login()
      }
    },
    assertNoRecentFailure: async () => {
      const failure = await kv.get(failureKey)
      if (failure !== null) {
        throw new RingCentralUnavailableError(
          `RingCentral login was rejected recently (${failure}); not retrying before the backoff ends`,
        )
      }
    },
  }
}
