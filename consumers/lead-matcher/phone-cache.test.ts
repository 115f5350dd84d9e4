import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { createPhoneCache } from './phone-cache.ts'

const kv = createMemoryKv()
afterAll(() => kv.close())
afterEach(async () => {
  for (const key of ['+14155550100', '+14155550101', '+14155550102']) {
    await kv.delete(`lead-matcher:phone:${key}`)
  }
})

const lead = { module: 'Leads', id: 'L1', ownerId: 'U1', name: 'Kim Known' } as const

describe('phone cache', () => {
  it('remembers a number for a person and forgets every number of that person', async () => {
    const cache = createPhoneCache({ kv, changedTtlMs: 60_000 })
    expect(await cache.remember('+14155550100', lead)).toBe(true)
    expect(await cache.remember('+14155550101', lead)).toBe(true)
    expect(await cache.get('+14155550100')).toEqual(lead)

    expect((await cache.forgetPerson('Leads', 'L1')).sort()).toEqual([
      '+14155550100',
      '+14155550101',
    ])
    expect(await cache.get('+14155550100')).toBeNull()
    expect(await cache.get('+14155550101')).toBeNull()
  })

  it('does not cache a person again while it is marked changed', async () => {
    const cache = createPhoneCache({ kv, changedTtlMs: 60_000 })
    await cache.forgetPerson('Leads', 'L2')
    expect(await cache.remember('+14155550102', { module: 'Leads', id: 'L2' })).toBe(false)
    expect(await cache.get('+14155550102')).toBeNull()
  })

  it('leaves a number alone that is cached for someone else', async () => {
    const cache = createPhoneCache({ kv, changedTtlMs: 1 })
    await cache.remember('+14155550100', lead)
    await cache.remember('+14155550100', { module: 'Contacts', id: 'C1' })
    expect(await cache.forgetPerson('Leads', 'L1')).toEqual([])
    expect(await cache.forgetNumber('+14155550100', { unlessId: 'C1' })).toBe(false)
    expect(await cache.get('+14155550100')).toEqual({ module: 'Contacts', id: 'C1' })
    expect(await cache.forgetNumber('+14155550100')).toBe(true)
  })

  it("keeps a person's index as long as its longest-lived entry, and tells directory entries apart", async () => {
    const cache = createPhoneCache({ kv, ttlMs: 60_000 })
    const other = { ...lead, id: 'L3' }
    await cache.remember('+14155550100', other, { ttlMs: 10 * 3_600_000 })
    await cache.remember('+14155550101', other)
    expect(await kv.ttl('lead-matcher:phones-of:Leads:L3')).toBeGreaterThan(9 * 3_600_000)
    expect(await cache.lookup('+14155550101')).toEqual({ person: other, origin: 'cache' })
    await kv.set(
      'lead-matcher:phone:+14155550102',
      JSON.stringify({ ...other, via: 'directory', rank: '0.00.~.1' }),
    )
    expect(await cache.lookup('+14155550102')).toEqual({ person: other, origin: 'directory' })
    expect(await cache.get('+14155550102')).toEqual(other)
    await cache.forgetPerson('Leads', 'L3')
  })
})
