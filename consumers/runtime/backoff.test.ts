import { describe, expect, it } from 'vitest'
import { retryDelayMs } from './backoff.ts'

describe('retry backoff', () => {
  const policy = { baseMs: 1_000, maxMs: 600_000 }

  it('doubles the ceiling with every attempt, starting at baseMs', () => {
    const ceilings = [1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, () => 1))
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000])
  })

  it('never waits longer than maxMs, however many attempts failed', () => {
    expect(retryDelayMs(40, policy, () => 1)).toBe(600_000)
    expect(retryDelayMs(2_000, policy, () => 1)).toBe(600_000)
  })

  it('picks a uniformly random wait below the ceiling (full jitter)', () => {
    expect(retryDelayMs(3, policy, () => 0)).toBe(0)
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(2_000)
    const waits = Array.from({ length: 200 }, () => retryDelayMs(3, policy))
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...waits)).toBeLessThan(4_000)
    expect(new Set(waits).size).toBeGreaterThan(50)
  })
})
