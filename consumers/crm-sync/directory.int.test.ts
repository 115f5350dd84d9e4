import { describe, expect, it } from 'vitest'
import { createZohoCrm } from '../../integrations/zoho/crm.ts'
import { useZohoHarness } from '../../integrations/zoho/harness-hook.ts'
import { useRedisKeyspace } from '../../test/redis-keyspace.ts'
import { serviceAvailable, serviceUrl } from '../../test/services.ts'
import { createPhoneCache } from '../lead-matcher/phone-cache.ts'
import { syncDirectoryOnce } from './directory-job.ts'
import { directoryTimings, readMarker } from './directory-marks.ts'

const available = await serviceAvailable('REDIS_URL')
const url = serviceUrl('REDIS_URL')
const timings = directoryTimings(6 * 60 * 60 * 1000)

describe.skipIf(!available)('phone directory full sync on Redis, through the Zoho adapter', () => {
  const { replicaKv } = useRedisKeyspace(url, 'directory')
  const startHarness = useZohoHarness()

  it('syncs 450 people in pages, removes what changed in Zoho on the next sync, one replica at a time', async () => {
    const harness = await startHarness()
    const kv = replicaKv()
    const other = replicaKv()
    const crm = createZohoCrm(harness.client({ kv }))
    const cache = createPhoneCache({ kv })
    const leads = harness.sim.seed(
      'Leads',
      Array.from({ length: 300 }, (_, i) => ({
        Last_Name: `Lead ${i}`,
        Phone: i % 2 ? `+1 415-555-${1000 + i}` : `(415) 555-${1000 + i}`,
      })),
    )
    harness.sim.seed(
      'Contacts',
      Array.from({ length: 150 }, (_, i) => ({ Last_Name: `C ${i}`, Mobile: `212555${1000 + i}` })),
    )

    const [first, second] = await Promise.all([
      syncDirectoryOnce({ crm, kv, timings }),
      syncDirectoryOnce({ crm: createZohoCrm(harness.client({ kv: other })), kv: other, timings }),
    ])
    const result = first ?? second
    expect([first, second].filter((r) => r === null)).toHaveLength(1)
    expect(result).toMatchObject({ leads: 300, contacts: 150, numbers: 450, pages: 3 })
    expect(await cache.get('+14155551001')).toMatchObject({ id: leads[1]?.['id'] })
    expect(await cache.lookup('+12125551149')).toMatchObject({ origin: 'directory' })
    expect(await readMarker(other)).toMatchObject({ leads: 300, contacts: 150 })

    const client = harness.client({ kv })
    await client.updateLead(String(leads[0]?.['id']), { Phone: '4155559999' })
    await client.request({
      operation: 'deleteLead',
      method: 'DELETE',
      path: `/crm/v8/Leads/${leads[2]?.['id']}`,
    })
    const again = await syncDirectoryOnce({ crm, kv, timings })
    expect(again).toMatchObject({ leads: 299, removedPeople: 1, evicted: 2 })
    expect(await cache.get('+14155551000')).toBeNull()
    expect(await cache.get('+14155551002')).toBeNull()
    expect(await cache.get('+14155559999')).toMatchObject({ id: leads[0]?.['id'] })
  })
})
