import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { type DirectoryMarker, markUnsure, writeMarker } from '../crm-sync/directory-marks.ts'
import { createMissPolicy } from './directory-trust.ts'

const kv = createMemoryKv()
afterAll(() => kv.close())

const t0 = Date.parse('2026-03-02T10:00:00Z')
const hour = 60 * 60 * 1000
const marker: DirectoryMarker = {
  startedAt: t0,
  completedAt: t0 + 60_000,
  freshUntil: t0 + 7 * hour,
  entryTtlMs: 14 * hour,
  leads: 150,
  contacts: 100,
  numbers: 250,
  removedPeople: 0,
  unreadable: 0,
  pages: 2,
}

describe('trusting a miss of the phone directory', () => {
  it('searches while no full sync completed, or when the setting says so', async () => {
    await kv.delete('crm-sync:directory:complete')
    const now = () => t0 + hour
    expect(await createMissPolicy({ kv, use: 'trust', now })('+14155550100')).toEqual({
      trust: false,
      reason: 'no-directory',
    })
    await writeMarker(kv, marker, t0)
    expect(await createMissPolicy({ kv, use: 'off', now })('+14155550100')).toMatchObject({
      trust: false,
      reason: 'setting',
    })
    expect(await createMissPolicy({ kv, use: 'search-on-miss', now })('+14155550100')).toEqual({
      trust: false,
      reason: 'setting',
      entryTtlMs: 14 * hour,
    })
  })

  it('trusts a miss while the marker is fresh, and searches once it is stale', async () => {
    await writeMarker(kv, marker, t0)
    const at = (ms: number) => createMissPolicy({ kv, use: 'trust', now: () => ms })
    expect(await at(t0 + hour)('+14155550100')).toEqual({
      trust: true,
      reason: 'trusted',
      entryTtlMs: 14 * hour,
    })
    expect(await at(t0 + 7 * hour)('+14155550100')).toMatchObject({ trust: false, reason: 'stale' })
  })

  it('searches a number crm-sync evicted since the sync started without learning its new owner', async () => {
    await writeMarker(kv, marker, t0)
    const policy = createMissPolicy({ kv, use: 'trust', now: () => t0 + hour })
    await markUnsure(kv, ['+14155550101'], t0 - 1, hour)
    expect(await policy('+14155550101')).toMatchObject({ trust: true })
    await markUnsure(kv, ['+14155550101'], t0 + 30 * 60_000, hour)
    expect(await policy('+14155550101')).toMatchObject({ trust: false, reason: 'unsure' })
  })
})
