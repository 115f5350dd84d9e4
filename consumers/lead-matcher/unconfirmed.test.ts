import { describe, expect, it } from 'vitest'
import { useLeadMatcherFixtures } from './fixture-hooks.ts'
import { completedCall, type LeadMatcherFixture } from './testing.ts'

const { start, db } = useLeadMatcherFixtures()

/** What a SIGKILL between Zoho's answer and the ledger update leaves: the claims unconfirmed. */
const forgetConfirmation = (session: string) =>
  db().query(
    `UPDATE call_effects SET done_at = NULL, external_id = NULL
     WHERE telephony_session_id = $1 AND effect IN ('call_activity', 'note')`,
    [session],
  )

const uncertainCount = async (fx: LeadMatcherFixture, effect: string, outcome: string) => {
  const metric = fx.registry.getSingleMetric('callbridge_lead_matcher_uncertain_effects_total')
  const values = (await metric?.get())?.values ?? []
  return (
    values.find((value) => value.labels['effect'] === effect && value.labels['outcome'] === outcome)
      ?.value ?? 0
  )
}

describe('lead-matcher: effects whose claim was never confirmed', () => {
  it('confirms the Calls record and the note Zoho already has, without creating them again, while search still lags', async () => {
    const fx = await start({ options: { notes: true }, sim: { indexLagMs: 60_000 } })
    const [lead] = fx.sim.seed('Leads', [{ Last_Name: 'Known', Phone: '+14155550120' }])
    const call = completedCall('+14155550120')
    await fx.deliver(call)
    const [first] = await fx.matchedCount(1)
    expect(fx.records('Calls')).toHaveLength(1)

    await forgetConfirmation(call.telephonySessionId)
    await fx.deliver(call)

    const [, second] = await fx.matchedCount(2)
    expect(fx.records('Calls')).toHaveLength(1)
    expect(fx.sim.state.notes()).toHaveLength(1)
    expect(second).toMatchObject({
      person: { id: lead?.['id'] },
      crmCallId: first?.crmCallId,
      crmNoteId: first?.crmNoteId,
    })
    expect(await fx.ledger.claim(call.telephonySessionId, 'call_activity')).toEqual({
      status: 'done',
      externalId: first?.crmCallId,
    })
    expect(await fx.ledger.claim(call.telephonySessionId, 'note')).toEqual({
      status: 'done',
      externalId: first?.crmNoteId,
    })
    expect(await uncertainCount(fx, 'call_activity', 'found')).toBe(1)
    expect(await uncertainCount(fx, 'note', 'found')).toBe(1)
  })

  it('logs the call and adds the note once when their pending claims have nothing in Zoho', async () => {
    const fx = await start({ options: { notes: true } })
    fx.sim.seed('Leads', [{ Last_Name: 'Known', Phone: '+14155550121' }])
    const call = completedCall('+14155550121')
    await fx.ledger.recordCompleted(call)
    for (const effect of ['call_activity', 'note'] as const) {
      expect(await fx.ledger.claim(call.telephonySessionId, effect)).toEqual({ status: 'claimed' })
    }
    await fx.deliver(call)

    const [matched] = await fx.matchedCount(1)
    const calls = fx.records('Calls')
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({
      id: matched?.crmCallId,
      Subject: `Inbound call from +14155550121 [RingCentral session ${call.telephonySessionId}]`,
    })
    expect(fx.sim.state.notes()).toEqual([expect.objectContaining({ id: matched?.crmNoteId })])
    expect(await uncertainCount(fx, 'call_activity', 'created')).toBe(1)
    expect(await uncertainCount(fx, 'note', 'created')).toBe(1)
  })

  it('does not take a Calls record of another session of the same caller at the same time', async () => {
    const fx = await start()
    fx.sim.seed('Leads', [{ Last_Name: 'Known', Phone: '+14155550122' }])
    const earlier = completedCall('+14155550122', { telephonySessionId: 's-twin' })
    await fx.deliver(earlier)
    await fx.matchedCount(1)
    const call = completedCall('+14155550122', { telephonySessionId: 's-twin-2' })
    await fx.ledger.recordCompleted(call)
    await fx.ledger.claim(call.telephonySessionId, 'call_activity')
    await fx.deliver(call)

    const [, matched] = await fx.matchedCount(2)
    expect(fx.records('Calls')).toHaveLength(2)
    expect(matched?.crmCallId).not.toBe(fx.matched()[0]?.crmCallId)
  })
})
