/**
 * @module gateway/verify/zoho
 * Zoho does not sign notification callbacks. The watch channel carries a `token` that Zoho
 * echoes in every callback body; optionally, a secret in notify_url's query string comes back in
 * the request's query and in the body's `query_params`. Both are compared in constant time.
 */
import type { Verification } from './ringcentral.ts'
import { matchesAny, safeEqual } from './timing-safe.ts'

export interface ZohoVerifyInput {
  /** `token` from the callback body. */
  readonly token: unknown
  /** Tokens valid for this channel: the channel's own (from the keeper) and the configured one. */
  readonly validTokens: readonly string[]
  /** When set, the request must also carry `?secret=<querySecret>`. */
  readonly querySecret?: string
  /** `secret` query parameter of the request, if any. */
  readonly givenSecret?: string
}

export const verifyZoho = ({
  token,
  validTokens,
  querySecret,
  givenSecret,
}: ZohoVerifyInput): Verification => {
  if (typeof token !== 'string' || token.length === 0) return { ok: false, reason: 'missing token' }
  const tokenOk = matchesAny(token, validTokens)
  const secretOk =
    querySecret === undefined || (givenSecret !== undefined && safeEqual(givenSecret, querySecret))
  return tokenOk && secretOk ? { ok: true } : { ok: false, reason: 'wrong token' }
}
