import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { createTokenBudget } from './token-budget.ts'

describe('token budget', () => {
  const clock = { now: 1_700_000_000_000 }
  const kv = createMemoryKv({ now: () => clock.now })
  afterEach(async () => {
    clock.now += 60 * 60 * 1000
  })

  const budget = (key: string, limit = 3) =>
    createTokenBudget({ kv, key, limit, windowMs: 600_000, marginMs: 10_000 })

  it('grants `limit` requests in a window, then says when the oldest slot frees', async () => {
    const tokens = budget('budget:a')
    for (let i = 0; i < 3; i += 1) {
      expect(await tokens.take()).toEqual({ ok: true })
      clock.now += 60_000
    }
    const refused = await tokens.take()
    expect(refused).toMatchObject({ ok: false, reason: 'exhausted' })
    // The first slot was claimed 180 s ago and lives 610 s.
    expect(refused.ok ? 0 : refused.retryAfterMs).toBe(430_000)
    expect(await tokens.free()).toBe(0)
  })

  it('is a sliding window: a slot frees a full window after its own request, not at a boundary', async () => {
    const tokens = budget('budget:b', 2)
    await tokens.take()
    clock.now += 300_000
    await tokens.take()
    clock.now += 309_000
    expect((await tokens.take()).ok).toBe(false)
    clock.now += 2_000
    expect((await tokens.take()).ok).toBe(true)
    expect((await tokens.take()).ok).toBe(false)
  })

  it('is shared: two budgets on the same kv and key draw from one pool', async () => {
    const one = budget('budget:c', 4)
    const two = budget('budget:c', 4)
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).take()),
    )
    expect(results.filter((result) => result.ok)).toHaveLength(4)
  })

  it('refuses everything while blocked after a throttle, naming the cause', async () => {
    const tokens = budget('budget:d')
    await tokens.block(600_000, 'TOKEN_THROTTLED')
    expect(await tokens.take()).toMatchObject({
      ok: false,
      reason: 'blocked',
      blockedBy: 'TOKEN_THROTTLED',
      retryAfterMs: 600_000,
    })
    expect(await tokens.blocked()).toEqual({ code: 'TOKEN_THROTTLED', remainingMs: 600_000 })
    clock.now += 600_001
    expect((await tokens.take()).ok).toBe(true)
  })
})
