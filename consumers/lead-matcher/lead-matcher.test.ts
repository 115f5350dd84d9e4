import { describe, expect, it } from 'vitest'
import { useLeadMatcherFixtures } from './fixture-hooks.ts'
import { leadMarkerOf } from './resolve-person.ts'
import { completedCall, simUsers } from './testing.ts'

const { start } = useLeadMatcherFixtures()

/** A lookup field of a record as the simulator returns it. */
const idOf = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && 'id' in value ? value.id : undefined

describe('lead-matcher: known callers', () => {
  it('logs a call from a known lead against that lead and creates no lead', async () => {
    const fx = await start()
    const [lead] = fx.sim.seed('Leads', [
      {
        First_Name: 'Kim',
        Last_Name: 'Known',
        Phone: '+1 (415) 555-0101',
        Owner: { id: simUsers.bianca },
      },
    ])
    const call = completedCall('+14155550101')
    await fx.deliver(call)

    const [matched] = await fx.matchedCount(1)
    expect(matched).toMatchObject({
      person: { module: 'Leads', id: lead?.['id'], ownerId: simUsers.bianca, name: 'Kim Known' },
      createdLead: false,
      crmNoteId: null,
    })
    expect(fx.records('Leads')).toHaveLength(1)
    const calls = fx.records('Calls')
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({
      id: matched?.crmCallId,
      $se_module: 'Leads',
      Call_Type: 'Inbound',
      Subject: 'Inbound call from +14155550101',
      Call_Duration: '03:25',
    })
    expect(idOf(calls[0]?.['What_Id'])).toBe(lead?.['id'])
    const description = String(calls[0]?.['Description'])
    for (const id of [call.telephonySessionId, ...call.callLogIds, call.recording?.id ?? '?']) {
      expect(description).toContain(id)
    }
    expect(await fx.ledger.call(call.telephonySessionId)).toMatchObject({
      crmPersonModule: 'Leads',
      crmPersonId: lead?.['id'],
      crmCallId: matched?.crmCallId,
    })
  })

  it('logs a voicemail from a known contact as a missed call on the contact', async () => {
    const fx = await start()
    const [contact] = fx.sim.seed('Contacts', [
      { Last_Name: 'Contact', Mobile: '+44 20 7946 0958', Owner: { id: simUsers.chen } },
    ])
    await fx.deliver(completedCall('+442079460958', { result: 'voicemail', voicemail: true }))

    const [matched] = await fx.matchedCount(1)
    expect(matched?.person).toMatchObject({ module: 'Contacts', id: contact?.['id'] })
    expect(fx.records('Leads')).toHaveLength(0)
    const [logged] = fx.records('Calls')
    expect(logged).toMatchObject({
      Call_Type: 'Missed',
      Call_Duration: '00:00',
      Subject: 'Missed call from +442079460958 (voicemail)',
    })
    expect(idOf(logged?.['Who_Id'])).toBe(contact?.['id'])
  })

  it('skips an anonymous caller: nothing in Zoho, counted as anonymous', async () => {
    const fx = await start()
    await fx.deliver(completedCall(null))
    await fx.until(
      async () =>
        (
          await fx.registry.getSingleMetric('callbridge_lead_matcher_calls_total')?.get()
        )?.values.some((value) => value.labels['outcome'] === 'anonymous' && value.value === 1),
      'the anonymous call to be counted',
    )
    expect(fx.records('Calls')).toHaveLength(0)
    expect(fx.matched()).toHaveLength(0)
  })
})

describe('lead-matcher: unknown callers', () => {
  it('creates a lead named from the caller id, owned by the agent of the answering extension', async () => {
    const fx = await start({ options: { extensionOwners: { '2002': simUsers.chen } } })
    await fx.deliver(
      completedCall('+14155550102', {
        external: { phoneNumber: '+14155550102', name: 'SMITH, JOHN' },
      }),
    )

    const [matched] = await fx.matchedCount(1)
    const leads = fx.records('Leads')
    expect(leads).toHaveLength(1)
    expect(leads[0]).toMatchObject({
      First_Name: 'John',
      Last_Name: 'Smith',
      Phone: '+14155550102',
      Lead_Source: 'RingCentral',
    })
    expect(idOf(leads[0]?.['Owner'])).toBe(simUsers.chen)
    expect(matched).toMatchObject({
      createdLead: true,
      person: { id: leads[0]?.['id'], ownerId: simUsers.chen },
    })
    expect(idOf(fx.records('Calls')[0]?.['What_Id'])).toBe(leads[0]?.['id'])
  })

  it('gives the lead of an unmapped extension to the default owner, named after the number', async () => {
    const fx = await start({
      options: { extensionOwners: { '2002': simUsers.chen }, defaultOwnerId: simUsers.dario },
    })
    await fx.deliver(completedCall('+14155550103', { extensionId: '2999' }))

    await fx.matchedCount(1)
    const [lead] = fx.records('Leads')
    expect(lead).toMatchObject({ Last_Name: 'Unknown caller +14155550103', First_Name: null })
    expect(idOf(lead?.['Owner'])).toBe(simUsers.dario)
  })

  it('hands the leads of two new callers to the round-robin owners in turn', async () => {
    const fx = await start({ options: { roundRobinOwnerIds: [simUsers.bianca, simUsers.chen] } })
    await fx.deliver(completedCall('+14155550104', { extensionId: null }))
    await fx.deliver(completedCall('+14155550105', { extensionId: null }))

    await fx.matchedCount(2)
    const owners = fx.records('Leads').map((lead) => idOf(lead['Owner']))
    expect(owners.sort()).toEqual([simUsers.bianca, simUsers.chen].sort())
  })

  it('creates exactly one lead for two concurrent calls from one new number while Zoho search lags 2 s', async () => {
    const fx = await start({ sim: { indexLagMs: 2000 } })
    await Promise.all([
      fx.deliver(completedCall('+14155550106')),
      fx.deliver(completedCall('+14155550106')),
    ])

    const matched = await fx.matchedCount(2)
    const leads = fx.records('Leads')
    expect(leads).toHaveLength(1)
    const calls = fx.records('Calls')
    expect(calls).toHaveLength(2)
    expect(calls.map((call) => idOf(call['What_Id']))).toEqual([leads[0]?.['id'], leads[0]?.['id']])
    expect(matched.map((event) => event.createdLead).sort()).toEqual([false, true])
  })
})

describe('lead-matcher: exactly once', () => {
  it('logs a calls.completed delivered twice once: one lead, one call activity, one note', async () => {
    const fx = await start({ options: { notes: true } })
    const call = completedCall('+14155550107')
    await fx.deliver(call)
    await fx.deliver(call)

    const matched = await fx.matchedCount(2)
    expect(fx.records('Leads')).toHaveLength(1)
    expect(fx.records('Calls')).toHaveLength(1)
    expect(fx.sim.state.notes()).toHaveLength(1)
    expect(new Set(matched.map((event) => event.crmCallId)).size).toBe(1)
    expect(matched.map((event) => event.createdLead)).toEqual([true, true])
    expect(matched[0]?.crmNoteId).toBe(fx.sim.state.notes()[0]?.['id'])
  })

  it('retries through Zoho 429 and 500 faults without doubling a lead or a call', async () => {
    const fx = await start()
    fx.sim.setFaults({ status429Rate: 0.3, status500Rate: 0.2, seed: 7 })
    const calls = [
      completedCall('+14155550108'),
      completedCall('+14155550109'),
      completedCall('+14155550108', { startTime: '2026-03-02T10:45:00.000Z' }),
    ]
    for (const call of calls) await fx.deliver(call)

    await fx.until(
      () => new Set(fx.matched().map((event) => event.call.telephonySessionId)).size === 3,
      'all three calls matched',
      30_000,
    )
    const stats = fx.sim.stats()
    expect(stats.served429 + stats.served500).toBeGreaterThan(0)
    expect(fx.records('Leads')).toHaveLength(2)
    expect(fx.records('Calls')).toHaveLength(3)
    expect(fx.parked()).toHaveLength(0)
  })

  it('recovers a lead claim left pending by a crash: a lead Zoho has (made by the crashed attempt, or known before) is reused, else the lead is created at once', async () => {
    const fx = await start()
    const confirmed = completedCall('+14155550109')
    const reused = completedCall('+14155550110')
    const recreated = completedCall('+14155550111')
    const [existing, createdBefore] = fx.sim.seed('Leads', [
      { Last_Name: 'Known before', Phone: '+14155550110' },
      {
        Last_Name: 'Created before the crash',
        Phone: '+14155550109',
        Description: `Created by callbridge ${leadMarkerOf(confirmed.telephonySessionId)}.`,
      },
    ])
    for (const call of [confirmed, reused, recreated]) {
      expect(await fx.ledger.claim(call.telephonySessionId, 'lead')).toEqual({ status: 'claimed' })
      await fx.deliver(call)
    }

    await fx.matchedCount(3)
    const leads = fx.records('Leads')
    expect(leads).toHaveLength(3)
    const byPhone = new Map(leads.map((lead) => [lead['Phone'], lead['id']]))
    expect(byPhone.get('+14155550109')).toBe(createdBefore?.['id'])
    expect(byPhone.get('+14155550110')).toBe(existing?.['id'])
    expect(await fx.ledger.claim(recreated.telephonySessionId, 'lead')).toEqual({
      status: 'done',
      externalId: byPhone.get('+14155550111'),
    })
    // Settled through COQL, which has no index lag: nothing waited for Zoho's search.
    const postponed = fx.lines.filter((line) =>
      String(JSON.stringify(line['err'])).includes('PendingLeadError'),
    )
    expect(postponed).toEqual([])
  })
})

describe('lead-matcher: rejected data', () => {
  it('parks the call in the DLQ when Zoho rejects the lead, and gives the lead claim back', async () => {
    const fx = await start({ options: { extensionOwners: { '2002': '5725767000000999999' } } })
    const call = completedCall('+14155550112')
    await fx.deliver(call)

    const [entry] = await fx.parkedCount(1)
    expect(entry).toMatchObject({
      reason: 'permanent',
      attempts: 1,
      error: { name: 'PermanentError', cause: expect.stringContaining('CrmValidationError') },
    })
    expect(entry?.error.message).toContain('creating the lead')
    expect(fx.records('Leads')).toHaveLength(0)
    expect(fx.records('Calls')).toHaveLength(0)
    expect(await fx.ledger.claim(call.telephonySessionId, 'lead')).toEqual({ status: 'claimed' })
  })
})
