/**
 * @module gateway/verify/timing-safe
 * Constant-time token comparison. Both sides are hashed first, so the comparison takes the same
 * time whatever the lengths and wherever the first difference is.
 */
import { hash, timingSafeEqual } from 'node:crypto'

// One-shot hashing: no Hash object per request.
const digest = (value: string): Buffer => hash('sha256', value, 'buffer')

// Digests of the expected side (configured and channel tokens: a handful), computed once each.
const expectedDigests = new Map<string, Buffer>()
const expectedDigest = (value: string): Buffer => {
  let found = expectedDigests.get(value)
  if (!found) {
    if (expectedDigests.size >= 1024) expectedDigests.clear()
    found = digest(value)
    expectedDigests.set(value, found)
  }
  return found
}

/** True when `given` equals `expected`, compared in constant time. */
export const safeEqual = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), expectedDigest(expected))

/**
 * True when `given` equals any of `candidates`. Every candidate is compared (no early exit), so
 * the time does not reveal which one matched or how many there are before it.
 */
export const matchesAny = (given: string, candidates: readonly string[]): boolean => {
  const givenDigest = digest(given)
  let matched = false
  for (const candidate of candidates) {
    matched = timingSafeEqual(givenDigest, expectedDigest(candidate)) || matched
  }
  return matched
}
