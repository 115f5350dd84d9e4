import { describe, expect, it } from 'vitest'
import { CrmRateLimitedError, CrmValidationError } from '../crm/errors.ts'
import type { Crm, CrmPerson } from '../crm/port.ts'
import { callLookupQuery } from './calls.ts'
import { coqlString } from './coql.ts'
import { createZohoCrm } from './crm.ts'
import { useZohoHarness } from './harness-hook.ts'
import { hasLine } from './related-list.ts'

const marker = (session: string) => `RingCentral telephony session: ${session}`
const startTime = '2026-03-02T10:15:00.000Z'

describe('finding what was already written to Zoho', () => {
  const startHarness = useZohoHarness()

  const start = async (simOptions = {}) => {
    const started = await startHarness(simOptions)
    const crm: Crm = createZohoCrm(started.client())
    const [record] = started.sim.seed('Leads', [{ Last_Name: 'Caller', Phone: '+14155550190' }])
    const lead: CrmPerson = { module: 'Leads', id: String(record?.['id']) }
    return { harness: started, crm, lead }
  }

  const logCall = (crm: Crm, person: CrmPerson, session: string, at = startTime) =>
    crm.logCall({
      person,
      subject: 'Inbound call from +14155550190',
      callType: 'Inbound',
      startTime: at,
      durationS: 42,
      description: `${marker(session)}\nRingCentral call log ids: none`,
    })

  it('finds a call logged a moment ago through COQL while Zoho search does not see it yet', async () => {
    const { harness, crm, lead } = await start({ indexLagMs: 60_000 })
    const logged = await logCall(crm, lead, 's-1')

    const criteria = `(What_Id:equals:${lead.id})`
    const search = await harness.client().request({
      operation: 'test',
      method: 'GET',
      path: '/crm/v8/Calls/search',
      query: { criteria },
    })
    expect(search.status).toBe(204)
    expect(await crm.findCallActivity(lead, { startTime, marker: marker('s-1') })).toEqual({
      id: logged.id,
    })
  })

  it('finds a lead created a moment ago for a session through COQL, and not one made for another session', async () => {
    const { crm } = await start({ indexLagMs: 60_000 })
    const created = await crm.createLead({
      lastName: 'Caller',
      phone: '+14155550191',
      description: 'Created by callbridge for an inbound call (RingCentral session s-7).',
    })
    await crm.createLead({
      lastName: 'Caller',
      phone: '+14155550191',
      description: 'Created by callbridge for an inbound call (RingCentral session s-70).',
    })

    const found = await crm.findCreatedLead({
      phone: '+14155550191',
      marker: '(RingCentral session s-7)',
    })
    expect(found).toMatchObject({ module: 'Leads', id: created.id, phone: '+14155550191' })
    expect(
      await crm.findCreatedLead({ phone: '+14155550191', marker: '(RingCentral session s-8)' }),
    ).toBeNull()
  })

  it('takes only the call with the marker as a whole line, of that person, at that time', async () => {
    const { harness, crm, lead } = await start()
    const [other] = harness.sim.seed('Leads', [{ Last_Name: 'Other' }])
    const otherLead: CrmPerson = { module: 'Leads', id: String(other?.['id']) }
    await logCall(crm, lead, 's-10')
    await logCall(crm, lead, 's-1', '2026-03-02T11:00:00Z')
    await logCall(crm, otherLead, 's-1')
    expect(await crm.findCallActivity(lead, { startTime, marker: marker('s-1') })).toBeNull()
  })

  it('finds a call logged on a contact (Who_Id)', async () => {
    const { harness, crm } = await start()
    const [record] = harness.sim.seed('Contacts', [{ Last_Name: 'Contact' }])
    const contact: CrmPerson = { module: 'Contacts', id: String(record?.['id']) }
    const logged = await logCall(crm, contact, 's-2')
    expect(await crm.findCallActivity(contact, { startTime, marker: marker('s-2') })).toEqual({
      id: logged.id,
    })
  })

  it('reads past the first 200 rows when Zoho says more follow', async () => {
    const { harness, crm, lead } = await start()
    const call = (session: string) => ({
      Subject: 'Call',
      Call_Type: 'Inbound',
      Call_Start_Time: '2026-03-02T10:15:00+00:00',
      Call_Duration: '00:42',
      What_Id: { id: lead.id },
      $se_module: 'Leads',
      Description: marker(session),
    })
    harness.sim.seed(
      'Calls',
      Array.from({ length: 250 }, (_, i) => call(`other-${i}`)),
    )
    const [wanted] = harness.sim.seed('Calls', [call('s-3')])
    await harness.control('/_sim/reset-stats')
    expect(await crm.findCallActivity(lead, { startTime, marker: marker('s-3') })).toEqual({
      id: wanted?.['id'],
    })
    expect(harness.sim.stats().requests).toBe(2)
  })

  it("finds a note by a line of its content, and an attachment by its file name with Zoho's size", async () => {
    const { crm, lead } = await start()
    await crm.addNote(lead, { title: 'Other', content: `Call.\n${marker('s-40')}` })
    const note = await crm.addNote(lead, { title: 'Call', content: `Call.\n${marker('s-4')}` })
    expect(await crm.findNote(lead, marker('s-4'))).toEqual({ id: note.id })
    expect(await crm.findNote(lead, marker('s-5'))).toBeNull()

    const bytes = new TextEncoder().encode('RIFF....WAVE')
    const attached = await crm.attachFile(lead, {
      filename: 'call-recording-2026-03-02T10-15-rec1.wav',
      contentType: 'audio/wav',
      size: bytes.byteLength,
      body: new Blob([bytes]).stream(),
    })
    expect(await crm.findAttachment(lead, 'call-recording-2026-03-02T10-15-rec1.wav')).toEqual({
      id: attached.id,
      size: bytes.byteLength,
    })
    expect(await crm.findAttachment(lead, 'call-recording-2026-03-02T10-15-rec2.wav')).toBeNull()
  })

  it('maps failures to the CRM errors: throttled COQL is rate limited, a bad id is rejected', async () => {
    const { harness, crm, lead } = await start()
    const bad = await crm
      .findCallActivity({ module: 'Leads', id: "1' or id is not null" }, { startTime, marker: 'x' })
      .catch((caught: unknown) => caught)
    expect(bad).toBeInstanceOf(CrmValidationError)

    harness.sim.setFaults({ status429Rate: 1 })
    const throttled = await createZohoCrm(harness.client({ retries: { attempts: 2, baseMs: 1 } }))
      .findCallActivity(lead, { startTime, marker: 'x' })
      .catch((caught: unknown) => caught)
    expect(throttled).toBeInstanceOf(CrmRateLimitedError)
  })
})

describe('lookup helpers', () => {
  it('writes the call lookup as a bracketed COQL pair with quoted values', () => {
    expect(
      callLookupQuery({
        person: { module: 'Leads', id: '5725767000000100001' },
        startTime,
        marker: 'x',
      }),
    ).toBe(
      "select id, Description from Calls where (What_Id = '5725767000000100001' and Call_Start_Time = '2026-03-02T10:15:00+00:00')",
    )
    expect(coqlString("O'Brien")).toBe("'O''Brien'")
  })

  it('recognises a marker only as a whole line', () => {
    expect(hasLine('a\r\nRingCentral telephony session: s-1 \nb', marker('s-1'))).toBe(true)
    expect(hasLine(`${marker('s-10')}\nb`, marker('s-1'))).toBe(false)
    expect(hasLine(null, marker('s-1'))).toBe(false)
    expect(hasLine('anything', ' ')).toBe(false)
  })
})
