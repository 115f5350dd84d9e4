import { describe, expect, it } from 'vitest'
import { verifyRingCentral } from './ringcentral.ts'
import { matchesAny, safeEqual } from './timing-safe.ts'
import { verifyZoho } from './zoho.ts'

describe('safeEqual', () => {
  it('accepts equal strings and rejects different ones of any length', () => {
    expect(safeEqual('token-1', 'token-1')).toBe(true)
    expect(safeEqual('token-1', 'token-2')).toBe(false)
    expect(safeEqual('token', 'token-longer')).toBe(false)
    expect(safeEqual('', 'x')).toBe(false)
  })

  it('compares every candidate, matching any position', () => {
    expect(matchesAny('b', ['a', 'b', 'c'])).toBe(true)
    expect(matchesAny('d', ['a', 'b', 'c'])).toBe(false)
    expect(matchesAny('a', [])).toBe(false)
  })
})

describe('verifyRingCentral', () => {
  const tokens = ['current-token-123', 'previous-token-456']

  it('accepts the current token and the previous one while rotating', () => {
    expect(verifyRingCentral('current-token-123', tokens)).toEqual({ ok: true })
    expect(verifyRingCentral('previous-token-456', tokens)).toEqual({ ok: true })
  })

  describe('adversarial / fail-closed', () => {
    it('rejects a missing or empty token', () => {
      expect(verifyRingCentral(undefined, tokens)).toEqual({ ok: false, reason: 'missing token' })
      expect(verifyRingCentral('', tokens)).toEqual({ ok: false, reason: 'missing token' })
    })

    it('rejects a wrong token, a prefix of a valid one and a valid one with padding', () => {
      for (const bad of ['nope', 'current-token', 'current-token-1234', ' current-token-123']) {
        expect(verifyRingCentral(bad, tokens)).toEqual({ ok: false, reason: 'wrong token' })
      }
    })

    it('accepts nothing when no token is configured', () => {
      expect(verifyRingCentral('anything', [])).toEqual({ ok: false, reason: 'wrong token' })
    })
  })
})

describe('verifyZoho', () => {
  it('accepts the channel token or the configured token', () => {
    expect(verifyZoho({ token: 'chan-token', validTokens: ['chan-token', 'cfg-token'] })).toEqual({
      ok: true,
    })
    expect(verifyZoho({ token: 'cfg-token', validTokens: ['chan-token', 'cfg-token'] })).toEqual({
      ok: true,
    })
  })

  it('requires the query secret when one is configured', () => {
    const base = { token: 't0k3n-value', validTokens: ['t0k3n-value'], querySecret: 's3cret-q' }
    expect(verifyZoho({ ...base, givenSecret: 's3cret-q' })).toEqual({ ok: true })
    expect(verifyZoho(base)).toEqual({ ok: false, reason: 'wrong token' })
    expect(verifyZoho({ ...base, givenSecret: 'other' })).toEqual({
      ok: false,
      reason: 'wrong token',
    })
  })

  describe('adversarial / fail-closed', () => {
    it('rejects a missing, empty or non-string token', () => {
      for (const token of [undefined, '', 42, null, ['t']]) {
        expect(verifyZoho({ token, validTokens: ['t'] })).toEqual({
          ok: false,
          reason: 'missing token',
        })
      }
    })

    it('rejects every token when none is valid for the channel', () => {
      expect(verifyZoho({ token: 'x', validTokens: [] })).toEqual({
        ok: false,
        reason: 'wrong token',
      })
    })
  })
})
