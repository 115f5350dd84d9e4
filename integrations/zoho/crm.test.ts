import { describe, expect, it } from 'vitest'
import { CrmValidationError } from '../crm/errors.ts'
import type { Crm } from '../crm/port.ts'
import { createZohoCrm } from './crm.ts'
import { useZohoHarness } from './harness-hook.ts'

describe('Zoho CRM adapter', () => {
  const startHarness = useZohoHarness()

  const start = async (simOptions = {}) => {
    const started = await startHarness(simOptions)
    const crm: Crm = createZohoCrm(started.client(), { leadSource: 'Phone Call' })
    return { harness: started, crm }
  }

  describe('findPersonByPhone', () => {
    it('finds a lead before a contact with the same number', async () => {
      const { harness, crm } = await start()
      const [contact] = harness.sim.seed('Contacts', [
        { First_Name: 'Con', Last_Name: 'Tact', Mobile: '+1 415 555 0123' },
      ])
      const [lead] = harness.sim.seed('Leads', [
        {
          First_Name: 'Lee',
          Last_Name: 'Ad',
          Phone: '+1 (415) 555-0123',
          Owner: { id: '5725767000000300002' },
        },
      ])
      expect(await crm.findPersonByPhone('+14155550123')).toEqual({
        module: 'Leads',
        id: lead?.['id'],
        ownerId: '5725767000000300002',
        name: 'Lee Ad',
        phone: '+14155550123',
      })
      expect(contact).toBeDefined()
    })

    it('falls back to contacts, matching a number stored in national format', async () => {
      const { harness, crm } = await start()
      const [contact] = harness.sim.seed('Contacts', [
        { Last_Name: 'Home', Home_Phone: '(415) 555-0199' },
      ])
      expect(await crm.findPersonByPhone('+14155550199')).toMatchObject({
        module: 'Contacts',
        id: contact?.['id'],
        phone: '+14155550199',
      })
    })

    it('finds a foreign number stored with its national trunk prefix', async () => {
      const { harness, crm } = await start()
      const [lead] = harness.sim.seed('Leads', [{ Last_Name: 'London', Phone: '020 7946 0958' }])
      expect(await crm.findPersonByPhone('+442079460958')).toMatchObject({ id: lead?.['id'] })
    })

    it('picks the same record every time when several match', async () => {
      const { harness, crm } = await start()
      const seeded = harness.sim.seed('Leads', [
        { Last_Name: 'Fax only', Fax: '+14155550111' },
        { Last_Name: 'Mobile', Mobile: '+14155550111' },
        { Last_Name: 'Phone', Phone: '+14155550111' },
        { Last_Name: 'Phone later', Phone: '+14155550111' },
      ])
      const found = await Promise.all([1, 2, 3].map(() => crm.findPersonByPhone('+14155550111')))
      expect(found.map((person) => person?.id)).toEqual([1, 2, 3].map(() => seeded[2]?.['id']))
    })

    it('answers null for an unknown number and refuses a malformed one without calling Zoho', async () => {
      const { harness, crm } = await start()
      expect(await crm.findPersonByPhone('+14155550000')).toBeNull()
      const requests = harness.sim.stats().requests
      const error = await crm.findPersonByPhone('call me').catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(CrmValidationError)
      expect(error).toMatchObject({ field: 'phone', retryable: false })
      expect(harness.sim.stats().requests).toBe(requests)
    })

    it('finds a lead it has just created although Zoho has not indexed it yet', async () => {
      const { harness, crm } = await start({ indexLagMs: 60_000 })
      const client = harness.client()
      const created = await crm.createLead({ lastName: 'Fresh', phone: '+14155550142' })
      expect(await client.searchByPhone('Leads', '+14155550142')).toEqual([])
      expect(await crm.findPersonByPhone('+14155550142')).toEqual(created)
      // Another adapter on the same kv (another replica) sees it too.
      expect(await createZohoCrm(harness.client()).findPersonByPhone('(415) 555-0142')).toEqual(
        created,
      )
    })
  })

  it('creates a lead with the number in E.164 and the configured lead source', async () => {
    const { harness, crm } = await start()
    const person = await crm.createLead({
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+1 415 555 0150',
      description: 'first call',
      ownerId: '5725767000000300003',
    })
    expect(person).toMatchObject({ module: 'Leads', name: 'Ada Lovelace', phone: '+14155550150' })
    const [stored] = harness.sim.state.records('Leads')
    expect(stored).toMatchObject({
      id: person.id,
      First_Name: 'Ada',
      Last_Name: 'Lovelace',
      Phone: '+14155550150',
      Lead_Source: 'Phone Call',
      Description: 'first call',
      Owner: { id: '5725767000000300003' },
    })
  })

  it("maps Zoho's per-record validation error to a CRM validation error naming the field", async () => {
    const { crm } = await start()
    const error = await crm
      .createLead({ lastName: '', phone: '+14155550151' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CrmValidationError)
    expect(error).toMatchObject({ code: 'MANDATORY_NOT_FOUND', field: 'Last_Name' })
  })

  it('logs a call against a lead (What_Id + $se_module) and a contact (Who_Id)', async () => {
    const { harness, crm } = await start()
    const lead = await crm.createLead({ lastName: 'Caller', phone: '+14155550160' })
    const [contactRecord] = harness.sim.seed('Contacts', [{ Last_Name: 'Known' }])
    const contact = { module: 'Contacts' as const, id: String(contactRecord?.['id']) }
    const leadCall = await crm.logCall({
      person: lead,
      subject: 'Inbound call from +14155550160',
      callType: 'Inbound',
      startTime: '2025-01-10T10:15:00Z',
      durationS: 205,
      description: 'RingCentral session s-1',
    })
    const contactCall = await crm.logCall({
      person: contact,
      subject: 'Missed call',
      callType: 'Missed',
      startTime: '2025-01-10T11:00:00.000+01:00',
      durationS: 0,
    })
    const calls = harness.sim.state.records('Calls')
    expect(calls.find((call) => call['id'] === leadCall.id)).toMatchObject({
      Subject: 'Inbound call from +14155550160',
      Call_Type: 'Inbound',
      Call_Start_Time: '2025-01-10T10:15:00+00:00',
      Call_Duration: '03:25',
      Call_Duration_in_seconds: 205,
      What_Id: { id: lead.id },
      $se_module: 'Leads',
      Description: 'RingCentral session s-1',
    })
    expect(calls.find((call) => call['id'] === contactCall.id)).toMatchObject({
      Call_Type: 'Missed',
      Call_Start_Time: '2025-01-10T10:00:00+00:00',
      Call_Duration: '00:00',
      Who_Id: { id: contact.id },
    })
  })

  it('adds a note to the person', async () => {
    const { harness, crm } = await start()
    const lead = await crm.createLead({ lastName: 'Noted', phone: '+14155550170' })
    const note = await crm.addNote(lead, { title: 'Voicemail', content: 'Please call back.' })
    expect(harness.sim.state.notes()).toEqual([
      expect.objectContaining({
        id: note.id,
        Note_Title: 'Voicemail',
        Note_Content: 'Please call back.',
        Parent_Id: expect.objectContaining({
          id: lead.id,
          module: expect.objectContaining({ api_name: 'Leads' }),
        }),
      }),
    ])
  })

  it('reports a note on a record Zoho does not know as a validation error', async () => {
    const { crm } = await start()
    const error = await crm
      .addNote({ module: 'Leads', id: '5725767000999999999' }, { title: 't', content: 'c' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CrmValidationError)
    expect(error).toMatchObject({ code: 'INVALID_DATA', field: 'Parent_Id' })
  })

  it('updates a lead by id (PUT)', async () => {
    const { harness } = await start()
    const client = harness.client()
    const { id } = await client.createLead({ lastName: 'Status', phone: '+14155550180' })
    await client.updateLead(id, { Lead_Status: 'Contacted' })
    expect(harness.sim.state.records('Leads')[0]).toMatchObject({ id, Lead_Status: 'Contacted' })
  })

  it('lists the org users and the current user', async () => {
    const { harness } = await start()
    const client = harness.client()
    const me = await client.currentUser()
    const users = await client.users()
    expect(users.map((user) => user.id)).toContain(me.id)
    expect(users.length).toBe(harness.sim.state.users().length)
  })
})
