/**
 * @module simulators/ringcentral/ids
 * Deterministic ids: a seeded PRNG (mulberry32) and the id formats RingCentral uses. Equal seeds
 * give equal ids, tokens and fault decisions, so runs are reproducible.
 */
import { seededRandom } from '../shared/seeded-random.ts'

/** A seeded pseudo-random source. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [0, n). */
  int(n: number): number
}

/** A seeded Rng (mulberry32): small, fast and good enough for ids and dice. */
export const createRng = (seed: number): Rng => {
  const next = seededRandom(seed)
  return { next, int: (n) => Math.floor(next() * n) }
}

const HEX = '0123456789abcdef'
const DIGITS = '0123456789'
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const B64URL = `${ALNUM}-_`

const pick = (rng: Rng, alphabet: string, length: number): string => {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[rng.int(alphabet.length)]
  return out
}

/** Prefixes of the opaque tokens; `isTokenShaped` recognises them (else 401 OAU-149). */
const ACCESS_PREFIX = 'U0lNQVQw'
const REFRESH_PREFIX = 'U0lNUlQw'

/** Id generators in RingCentral's formats. */
export interface Ids {
  /** UUID v4 shape: subscription ids. */
  uuid(): string
  /** 19-digit numeric string: notification `uuid`. */
  notificationUuid(): string
  /** `s-` + 32 hex: telephonySessionId. */
  telephonySessionId(): string
  /** 12 digits: legacy sessionId. */
  sessionId(): string
  /** 15 alphanumerics starting with a letter: call-log record id. */
  callRecordId(): string
  /** 10 digits: recording id. */
  recordingId(): string
  /** 11 digits: message-store ids (voicemail, SMS). */
  messageId(): string
  accessToken(): string
  refreshToken(): string
  /** Session ids and endpoint ids. */
  opaque(length: number): string
  /** Random secrets such as the handshake Validation-Token. */
  secret(): string
}

/** Creates the id generators over `rng`. */
export const createIds = (rng: Rng): Ids => ({
  uuid: () => {
    const h = pick(rng, HEX, 32)
    const variant = HEX[8 + rng.int(4)] ?? '8'
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`
  },
  notificationUuid: () => `${1 + rng.int(9)}${pick(rng, DIGITS, 18)}`,
  telephonySessionId: () => `s-${pick(rng, HEX, 32)}`,
  sessionId: () => `${1 + rng.int(9)}${pick(rng, DIGITS, 11)}`,
  callRecordId: () => `${pick(rng, ALNUM.slice(0, 52), 1)}${pick(rng, ALNUM, 14)}`,
  recordingId: () => `${1 + rng.int(9)}${pick(rng, DIGITS, 9)}`,
  messageId: () => `${1 + rng.int(9)}${pick(rng, DIGITS, 10)}`,
  accessToken: () => `${ACCESS_PREFIX}${pick(rng, B64URL, 40)}`,
  refreshToken: () => `${REFRESH_PREFIX}${pick(rng, B64URL, 40)}`,
  opaque: (length) => pick(rng, ALNUM, length),
  secret: () => pick(rng, ALNUM, 32),
})

/** True when `token` looks like a token this simulator issues (known or not). */
export const isTokenShaped = (token: string): boolean =>
  /^U0lN(?:QVQw|UlQw)[A-Za-z0-9_-]{40}$/.test(token)
