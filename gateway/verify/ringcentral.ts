/**
 * @module gateway/verify/ringcentral
 * RingCentral does not sign webhooks. A subscription carries a `verificationToken` chosen by us;
 * every notification echoes it in the `Verification-Token` header. The configured tokens are
 * accepted in order (current first, then previous ones while rotating).
 */
import { matchesAny } from './timing-safe.ts'

export type Verification = { ok: true } | { ok: false; reason: 'missing token' | 'wrong token' }

export const verifyRingCentral = (
  headerToken: string | undefined,
  tokens: readonly string[],
): Verification => {
  if (!headerToken) return { ok: false, reason: 'missing token' }
  // An empty token list accepts nothing (fail closed).
  return matchesAny(headerToken, tokens) ? { ok: true } : { ok: false, reason: 'wrong token' }
}
