import { describe, expect, it } from 'vitest'
import { createZohoCrm } from '../../integrations/zoho/crm.ts'
import { useZohoHarness } from '../../integrations/zoho/harness-hook.ts'
import { createPhoneCache } from '../lead-matcher/phone-cache.ts'
import {
  type DirectoryProgress,
  directoryTimings,
  readMarker,
  readProgress,
  touch,
} from './directory-marks.ts'
import { syncDirectory } from './directory-sync.ts'

const hour = 60 * 60 * 1000
const timings = directoryTimings(6 * hour)

describe('phone directory full sync', () => {
  const startHarness = useZohoHarness()
  const start = async () => {
    const started = await startHarness()
    const crm = createZohoCrm(started.client())
    const cache = createPhoneCache({ kv: started.kv })
    const progress: DirectoryProgress[] = []
    const sync = () =>
      syncDirectory({ crm, kv: started.kv, timings, onProgress: (p) => progress.push(p) })
    return { harness: started, cache, sync, progress }
  }

  it('pages every lead and contact and writes each number as people typed it, in E.164', async () => {
    const { harness, cache, sync, progress } = await start()
    const leads = harness.sim.seed(
      'Leads',
      Array.from({ length: 250 }, (_, i) => ({
        First_Name: 'Lee',
        Last_Name: `Ad ${i}`,
        Phone: `(415) 555-${String(1000 + i)}`,
        Owner: { id: '5725767000000300002' },
      })),
    )
    const [contact] = harness.sim.seed('Contacts', [
      { Last_Name: 'Con', Mobile: '+1 212-555-0100', Home_Phone: '+44 20 7946 0958', Fax: '?' },
    ])

    const result = await sync()
    expect(result).toMatchObject({ leads: 250, contacts: 1, numbers: 252, pages: 3, unreadable: 1 })
    expect(harness.sim.stats().requests).toBe(3)
    expect(await cache.lookup('+14155551000')).toEqual({
      person: {
        module: 'Leads',
        id: leads[0]?.['id'],
        ownerId: '5725767000000300002',
        name: 'Lee Ad 0',
      },
      origin: 'directory',
    })
    for (const e164 of ['+12125550100', '+442079460958']) {
      expect(await cache.get(e164)).toMatchObject({ module: 'Contacts', id: contact?.['id'] })
    }
    const phases = progress.map((p) => `${p.phase}:${p.pages}`)
    expect(phases.slice(0, 3)).toEqual(['reading:1', 'reading:2', 'reading:3'])
    expect(progress.at(-1)).toMatchObject({ phase: 'done', pages: 3, people: 251 })
    expect(await readProgress(harness.kv)).toMatchObject({ phase: 'done' })
  })

  it('writes the "directory complete" marker with the counts, fresh a little longer than the interval', async () => {
    const { harness, sync } = await start()
    harness.sim.seed('Leads', [{ Last_Name: 'One', Phone: '4155550100' }])
    expect(await readMarker(harness.kv)).toBeNull()
    const before = Date.now()
    await sync()
    const marker = await readMarker(harness.kv)
    expect(marker).toMatchObject({
      leads: 1,
      contacts: 0,
      numbers: 1,
      entryTtlMs: timings.entryTtlMs,
    })
    expect(marker?.freshUntil).toBeGreaterThanOrEqual(before + 6 * hour)
    expect(marker?.freshUntil).toBeLessThan(before + 8 * hour)
    const ttl = (await harness.kv.ttl('crm-sync:directory:complete')) ?? 0
    expect(ttl).toBeGreaterThan(6 * hour)
    expect(ttl).toBeLessThanOrEqual(timings.markerTtlMs)
    expect(await harness.kv.ttl('lead-matcher:phone:+14155550100')).toBeGreaterThan(12 * hour)
  })

  it('gives a number two people share to the lead, as the phone search did', async () => {
    const { harness, cache, sync } = await start()
    harness.sim.seed('Contacts', [{ Last_Name: 'Contact', Phone: '+1 415 555 0123' }])
    const [lead] = harness.sim.seed('Leads', [{ Last_Name: 'Lead', Mobile: '(415) 555-0123' }])
    const result = await sync()
    expect(result.shared).toBe(1)
    expect(await cache.get('+14155550123')).toMatchObject({ module: 'Leads', id: lead?.['id'] })
  })

  it('removes numbers people no longer have, and every number of people deleted without a notification', async () => {
    const { harness, cache, sync } = await start()
    const client = harness.client()
    const [mover, leaver] = harness.sim.seed('Leads', [
      { Last_Name: 'Mover', Phone: '4155550101' },
      { Last_Name: 'Leaver', Phone: '4155550102', Mobile: '4155550103' },
    ])
    await sync()
    await client.updateLead(String(mover?.['id']), { Phone: '4155550111' })
    await client.request({
      operation: 'deleteLead',
      method: 'DELETE',
      path: `/crm/v8/Leads/${leaver?.['id']}`,
    })

    const result = await sync()
    expect(result).toMatchObject({ leads: 1, removedPeople: 1, evicted: 3 })
    for (const gone of ['+14155550101', '+14155550102', '+14155550103']) {
      expect(await cache.get(gone)).toBeNull()
    }
    expect(await cache.get('+14155550111')).toMatchObject({ id: mover?.['id'] })
  })

  it('leaves a person alone that a notification wrote after the sync started', async () => {
    const { harness, cache, sync } = await start()
    const [lead] = harness.sim.seed('Leads', [{ Last_Name: 'Fresh', Phone: '4155550104' }])
    await touch(harness.kv, 'Leads', String(lead?.['id']), Date.now() + hour, hour)
    const result = await sync()
    expect(result.skipped).toBe(1)
    expect(await cache.get('+14155550104')).toBeNull()
  })

  it('keeps the previous marker and reports the failure when Zoho fails mid-sync', async () => {
    const { harness, sync } = await start()
    harness.sim.seed('Leads', [{ Last_Name: 'One', Phone: '4155550100' }])
    await sync()
    const marker = await readMarker(harness.kv)
    harness.sim.setFaults({ status500Rate: 1 })
    await expect(sync()).rejects.toThrow()
    expect(await readMarker(harness.kv)).toEqual(marker)
    expect(await readProgress(harness.kv)).toMatchObject({ phase: 'failed' })
  })
})
