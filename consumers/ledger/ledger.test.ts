import { describe, expect, it } from 'vitest'
import type { CallCompleted } from '../../schemas/calls.ts'
import { useMigratedPglite } from '../../test/pglite-ledger.ts'
import { createLedger } from './ledger.ts'

const db = useMigratedPglite()

const call = (session: string): CallCompleted => ({
  telephonySessionId: session,
  direction: 'Inbound',
  result: 'missed',
  external: { phoneNumber: '+14155550100', name: 'ACME' },
  internal: { phoneNumber: '+16505550111' },
  extensionId: '2002',
  startTime: '2026-03-02T10:15:00.000Z',
  durationS: 0,
  voicemail: true,
  recording: null,
  callLogIds: ['cl-1'],
  source: 'webhook',
})

describe('ledger', () => {
  it('gives an effect to one claimant, then reports it done with its external id', async () => {
    const ledger = createLedger(db())
    expect(await ledger.claim('s-1', 'lead')).toEqual({ status: 'claimed' })
    expect((await ledger.claim('s-1', 'lead')).status).toBe('pending')
    await ledger.complete('s-1', 'lead', '', 'zoho-42')
    expect(await ledger.claim('s-1', 'lead')).toEqual({ status: 'done', externalId: 'zoho-42' })
  })

  it('gives exactly one of 20 concurrent claims', async () => {
    const ledger = createLedger(db())
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ledger.claim('s-2', 'notification', 'email')),
    )
    expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1)
  })

  it('lets a released claim be claimed again, but never a done one', async () => {
    const ledger = createLedger(db())
    await ledger.claim('s-3', 'note')
    await ledger.release('s-3', 'note')
    expect((await ledger.claim('s-3', 'note')).status).toBe('claimed')
    await ledger.complete('s-3', 'note', '', 'n-1')
    await ledger.release('s-3', 'note')
    expect((await ledger.claim('s-3', 'note')).status).toBe('done')
  })

  it('records a completed call once and keeps its CRM facts', async () => {
    const ledger = createLedger(db())
    expect(await ledger.recordCompleted(call('s-4'))).toEqual({ inserted: true })
    expect(await ledger.recordCompleted(call('s-4'))).toEqual({ inserted: false })
    await ledger.setCrmFacts('s-4', { personModule: 'Leads', personId: 'L1', callId: 'C1' })
    await ledger.setCrmFacts('s-4', { noteId: 'N1' })
    expect(await ledger.call('s-4')).toMatchObject({
      crmPersonModule: 'Leads',
      crmPersonId: 'L1',
      crmCallId: 'C1',
      crmNoteId: 'N1',
    })
  })

  it('tells which sessions are already completed', async () => {
    const ledger = createLedger(db())
    await ledger.claim('s-5', 'completed')
    await ledger.complete('s-5', 'completed', '', null)
    await ledger.claim('s-6', 'completed')
    expect(await ledger.completedAmong(['s-5', 's-6', 's-7'])).toEqual(new Set(['s-5']))
  })
})
