import { describe, expect, it } from 'vitest'
import { createZohoCrm } from '../../integrations/zoho/crm.ts'
import { directoryTimings } from '../crm-sync/directory-marks.ts'
import { syncDirectory } from '../crm-sync/directory-sync.ts'
import { useLeadMatcherFixtures } from './fixture-hooks.ts'
import { leadMarkerOf } from './resolve-person.ts'
import { completedCall, type LeadMatcherFixture } from './testing.ts'

const { start } = useLeadMatcherFixtures()

/** A full sync of the fixture's simulator into its kv, as crm-sync does it. */
const syncOf = (fx: LeadMatcherFixture) =>
  syncDirectory({
    crm: createZohoCrm(fx.zoho.client()),
    kv: fx.kv,
    timings: directoryTimings(6 * 60 * 60 * 1000),
  })

const lookups = async (fx: LeadMatcherFixture) => {
  const metric = fx.registry.getSingleMetric('callbridge_lead_matcher_lookups_total')
  const values = (await metric?.get())?.values ?? []
  return Object.fromEntries(values.map((v) => [String(v.labels['source']), v.value]))
}

describe('lead-matcher with the phone directory', () => {
  it('matches a contact from the directory, stored as typed, without asking Zoho', async () => {
    const fx = await start()
    const [contact] = fx.sim.seed('Contacts', [{ Last_Name: 'Typed', Mobile: '(415) 555-0123' }])
    await syncOf(fx)
    const before = fx.sim.stats().requests

    await fx.deliver(completedCall('+14155550123'))
    const [matched] = await fx.matchedCount(1)
    expect(matched).toMatchObject({
      person: { module: 'Contacts', id: contact?.['id'] },
      createdLead: false,
    })
    expect(fx.sim.stats().requests - before).toBe(1) // the Calls record only
    expect(await lookups(fx)).toEqual({ directory: 1 })
  })

  it('trusts a miss of a complete, fresh directory: the lead is created without a search', async () => {
    const fx = await start()
    await syncOf(fx)
    const before = fx.sim.stats().requests

    await fx.deliver(completedCall('+14155550124'))
    const [matched] = await fx.matchedCount(1)
    expect(matched).toMatchObject({ createdLead: true })
    expect(fx.records('Leads')).toHaveLength(1)
    expect(fx.sim.stats().requests - before).toBe(2) // the lead and the Calls record
    expect(await lookups(fx)).toEqual({ trusted_miss: 1 })
    expect(await fx.kv.ttl('lead-matcher:phone:+14155550124')).toBeGreaterThan(2 * 60 * 60 * 1000)
  })

  it('searches Zoho as before while no full sync completed, or when told to search on a miss', async () => {
    for (const directory of ['trust', 'search-on-miss'] as const) {
      const fx = await start({ options: { directory } })
      const [lead] = fx.sim.seed('Leads', [{ Last_Name: 'Known', Phone: '4155550125' }])
      if (directory === 'search-on-miss') {
        await syncOf(fx)
        await fx.kv.delete('lead-matcher:phone:+14155550125')
      }
      await fx.deliver(completedCall('+14155550125'))
      const [matched] = await fx.matchedCount(1)
      expect(matched).toMatchObject({ person: { id: lead?.['id'] }, createdLead: false })
      expect(await lookups(fx)).toEqual({ search: 1 })
    }
  })

  it('settles a lead claim a crashed attempt left pending by finding its lead through COQL, without a search', async () => {
    const fx = await start()
    await syncOf(fx)
    const call = completedCall('+14155550126')
    // The crashed attempt created this lead; no notification reached the directory, and Zoho's
    // search index may not have it yet.
    const [created] = fx.sim.seed('Leads', [
      {
        Last_Name: 'Before crash',
        Phone: '+14155550126',
        Description: `Created by callbridge ${leadMarkerOf(call.telephonySessionId)}.`,
      },
    ])
    expect(await fx.ledger.claim(call.telephonySessionId, 'lead')).toEqual({ status: 'claimed' })

    await fx.deliver(call)
    const [matched] = await fx.matchedCount(1)
    expect(matched?.person.id).toBe(created?.['id'])
    expect(fx.records('Leads')).toHaveLength(1)
    expect(await fx.ledger.claim(call.telephonySessionId, 'lead')).toEqual({
      status: 'done',
      externalId: created?.['id'],
    })
    expect(await lookups(fx)).toEqual({ trusted_miss: 1 })
  })
})
