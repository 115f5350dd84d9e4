import { describe, expect, it } from 'vitest'
import { createZohoSimulator, type ZohoSimulator } from './app.ts'
import { crmClient, grantAccessToken } from './testing.ts'

const setup = async (options: Parameters<typeof createZohoSimulator>[0] = {}) => {
  const sim = createZohoSimulator(options)
  return { sim, crm: crmClient(sim, await grantAccessToken(sim)) }
}

const createLead = async (crm: ReturnType<typeof crmClient>, lead: Record<string, unknown>) => {
  const res = await crm.post('/crm/v8/Leads', { data: [lead] })
  const body = await res.json()
  return { res, body, id: String(body.data?.[0]?.details?.id) }
}

const recordsOf = (sim: ZohoSimulator, module: string) => sim.state.records(module)

describe('record create and get', () => {
  it('creates a lead with 201 and answers SUCCESS with a 19-digit id, times and users', async () => {
    const { sim, crm } = await setup()
    const { res, body, id } = await createLead(crm, {
      Last_Name: 'Moreau',
      First_Name: 'Lina',
      Phone: '+1 555 010 2030',
      Lead_Source: 'Phone Call',
      Description: 'Inbound call',
    })
    expect(res.status).toBe(201)
    expect(body.data?.[0]).toEqual({
      code: 'SUCCESS',
      details: {
        Modified_Time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
        Modified_By: { name: 'Avery Callbridge', id: '5725767000000300001' },
        Created_Time: expect.any(String),
        id: expect.stringMatching(/^\d{19}$/),
        Created_By: { name: 'Avery Callbridge', id: '5725767000000300001' },
      },
      message: 'record added',
      status: 'success',
    })
    const get = await crm.get(`/crm/v8/Leads/${id}`)
    const [lead] = (await get.json()).data ?? []
    expect(lead).toMatchObject({
      id,
      Last_Name: 'Moreau',
      Full_Name: 'Lina Moreau',
      Phone: '+1 555 010 2030',
      Mobile: null,
      Owner: {
        name: 'Avery Callbridge',
        id: '5725767000000300001',
        email: 'averycallbridge@example.com',
      },
    })
    expect(recordsOf(sim, 'Leads')).toHaveLength(1)
  })

  it('assigns the owner given as Owner.id and rejects an unknown one', async () => {
    const { crm } = await setup()
    const { id } = await createLead(crm, { Last_Name: 'Ito', Owner: { id: '5725767000000300003' } })
    const [lead] = (await (await crm.get(`/crm/v8/Leads/${id}`)).json()).data ?? []
    expect(lead?.['Owner']).toMatchObject({ name: 'Chen Takahashi' })
    const { res, body } = await createLead(crm, { Last_Name: 'Ito', Owner: { id: '1' } })
    expect(res.status).toBe(400)
    expect(body.data?.[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Owner' } })
  })

  it('answers 204 for an unknown id, 400 INVALID_DATA for a malformed one and 400 INVALID_MODULE for an unknown module', async () => {
    const { crm } = await setup()
    expect((await crm.get('/crm/v8/Leads/5725767000999999999')).status).toBe(204)
    const malformed = await crm.get('/crm/v8/Leads/abc')
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toMatchObject({ code: 'INVALID_DATA', status: 'error' })
    const module = await crm.post('/crm/v8/Deals', { data: [{ Deal_Name: 'x' }] })
    expect(module.status).toBe(400)
    expect(await module.json()).toEqual({
      code: 'INVALID_MODULE',
      details: { resource_path_index: 0 },
      message: 'The module name given seems to be invalid',
      status: 'error',
    })
  })
})

describe('record validation', () => {
  it('answers MANDATORY_NOT_FOUND for a lead without Last_Name', async () => {
    const { sim, crm } = await setup()
    const { res, body } = await createLead(crm, { First_Name: 'No', Phone: '5550100' })
    expect(res.status).toBe(400)
    expect(body.data?.[0]).toEqual({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Last_Name', json_path: '$.data[0].Last_Name' },
      message: 'required field not found',
      status: 'error',
    })
    expect(recordsOf(sim, 'Leads')).toHaveLength(0)
  })

  it('answers INVALID_DATA for a bad phone, email, over-long text or wrong type, naming the field', async () => {
    const { crm } = await setup()
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ Phone: 'call me maybe' }, { expected_data_type: 'phone', api_name: 'Phone' }],
      [{ Email: 'not-an-email' }, { expected_data_type: 'email', api_name: 'Email' }],
      [{ First_Name: 'x'.repeat(41) }, { maximum_length: 40, api_name: 'First_Name' }],
      [{ Company: 42 }, { expected_data_type: 'text', api_name: 'Company' }],
    ]
    for (const [fields, details] of cases) {
      const { body } = await createLead(crm, { Last_Name: 'V', ...fields })
      expect(body.data?.[0]).toMatchObject({
        code: 'INVALID_DATA',
        details,
        message: 'invalid data',
      })
    }
  })

  it('answers 202 for a batch where some records fail, and 400 LIMIT_EXCEEDED beyond 100 records', async () => {
    const { sim, crm } = await setup()
    const mixed = await crm.post('/crm/v8/Leads', {
      data: [{ Last_Name: 'Ok' }, { First_Name: 'No' }],
    })
    expect(mixed.status).toBe(202)
    expect((await mixed.json()).data?.map((item) => item.status)).toEqual(['success', 'error'])
    expect(recordsOf(sim, 'Leads')).toHaveLength(1)
    const many = Array.from({ length: 101 }, (_, i) => ({ Last_Name: `L${i}` }))
    const tooMany = await crm.post('/crm/v8/Leads', { data: many })
    expect(tooMany.status).toBe(400)
    expect(await tooMany.json()).toMatchObject({ code: 'LIMIT_EXCEEDED' })
  })

  it('answers 400 for a body that is not JSON or has no data', async () => {
    const { crm } = await setup()
    const notJson = await crm.request('/crm/v8/Leads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    })
    expect(notJson.status).toBe(400)
    expect(await notJson.json()).toMatchObject({ code: 'INVALID_DATA' })
    const noData = await crm.post('/crm/v8/Leads', { records: [] })
    expect(await noData.json()).toMatchObject({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'data', json_path: '$.data' },
    })
  })

  it('logs a call linked to a lead and checks Call_Type, Call_Duration and What_Id', async () => {
    const { crm } = await setup()
    const { id: leadId } = await createLead(crm, { Last_Name: 'Caller' })
    const call = {
      Subject: 'Inbound call from +15550102030',
      Call_Type: 'Inbound',
      Call_Start_Time: '2026-03-02T10:15:00+00:00',
      Call_Duration: '03:25',
      What_Id: { id: leadId },
      $se_module: 'Leads',
      Description: 'RingCentral session s-1',
    }
    const ok = await crm.post('/crm/v8/Calls', { data: [call] })
    expect(ok.status).toBe(201)
    const callId = (await ok.json()).data?.[0]?.details?.id
    const [stored] = (await (await crm.get(`/crm/v8/Calls/${callId}`)).json()).data ?? []
    expect(stored).toMatchObject({
      What_Id: { id: leadId, name: 'Caller' },
      $se_module: 'Leads',
      Call_Duration: '03:25',
      Call_Duration_in_seconds: 205,
    })
    const problems: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ Call_Type: 'Voicemail' }, { code: 'INVALID_DATA', details: { api_name: 'Call_Type' } }],
      [
        { Call_Duration: '3 min' },
        { code: 'INVALID_DATA', details: { api_name: 'Call_Duration' } },
      ],
      [
        { Call_Start_Time: '2026-03-02T10:15:00.000Z' },
        { code: 'INVALID_DATA', details: { expected_data_type: 'datetime' } },
      ],
      [
        { What_Id: { id: '5725767000999999999' } },
        { code: 'INVALID_DATA', details: { api_name: 'What_Id' } },
      ],
      [
        { $se_module: undefined },
        { code: 'DEPENDENT_FIELD_MISSING', details: { api_name: '$se_module' } },
      ],
      [{ Subject: undefined }, { code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Subject' } }],
    ]
    for (const [change, expected] of problems) {
      const res = await crm.post('/crm/v8/Calls', { data: [{ ...call, ...change }] })
      expect((await res.json()).data?.[0]).toMatchObject(expected)
    }
    const scheduled = {
      ...call,
      Call_Type: 'Outbound',
      Outgoing_Call_Status: 'Scheduled',
      Call_Duration: undefined,
    }
    expect((await crm.post('/crm/v8/Calls', { data: [scheduled] })).status).toBe(201)
  })
})

describe('record update and upsert', () => {
  it('updates one record by path and several by data[].id, answering "record updated"', async () => {
    const { crm } = await setup()
    const { id: a } = await createLead(crm, { Last_Name: 'A' })
    const { id: b } = await createLead(crm, { Last_Name: 'B' })
    const one = await crm.put(`/crm/v8/Leads/${a}`, { data: [{ Mobile: '5550111' }] })
    expect(one.status).toBe(200)
    expect((await one.json()).data?.[0]).toMatchObject({
      code: 'SUCCESS',
      message: 'record updated',
      details: { id: a },
    })
    const bulk = await crm.put('/crm/v8/Leads', {
      data: [
        { id: b, Lead_Status: 'Contacted' },
        { id: '5725767000999999999', Lead_Status: 'Contacted' },
        { Lead_Status: 'x' },
      ],
    })
    expect(bulk.status).toBe(202)
    const results = (await bulk.json()).data ?? []
    expect(results[1]).toEqual({
      code: 'INVALID_DATA',
      details: { id: '5725767000999999999' },
      message: 'the id given seems to be invalid',
      status: 'error',
    })
    expect(results[2]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'id' } })
    const [lead] = (await (await crm.get(`/crm/v8/Leads/${a}`)).json()).data ?? []
    expect(lead).toMatchObject({ Last_Name: 'A', Mobile: '5550111' })
    const cleared = await crm.put(`/crm/v8/Leads/${a}`, { data: [{ Last_Name: null }] })
    expect((await cleared.json()).data?.[0]).toMatchObject({ code: 'MANDATORY_NOT_FOUND' })
  })

  it('reads a 19-digit id sent as a JSON number exactly, as Zoho does', async () => {
    const { crm } = await setup()
    const { id } = await createLead(crm, { Last_Name: 'Big' })
    const res = await crm.request('/crm/v8/Leads', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: `{"data":[{"id":${id},"Company":"Exact"}]}`,
    })
    expect((await res.json()).data?.[0]).toMatchObject({ code: 'SUCCESS', details: { id } })
  })

  it('upserts on Email by default: inserts first, then updates the match', async () => {
    const { sim, crm } = await setup()
    const first = await crm.post('/crm/v8/Leads/upsert', {
      data: [{ Last_Name: 'Up', Email: 'up@example.com' }],
    })
    expect(first.status).toBe(200)
    const inserted = (await first.json()).data?.[0]
    expect(inserted).toMatchObject({
      action: 'insert',
      duplicate_field: null,
      message: 'record added',
    })
    const second = await crm.post('/crm/v8/Leads/upsert', {
      data: [{ Last_Name: 'Upper', Email: 'UP@example.com' }],
    })
    expect((await second.json()).data?.[0]).toMatchObject({
      action: 'update',
      duplicate_field: 'Email',
      message: 'record updated',
      details: { id: inserted?.details?.id },
    })
    expect(recordsOf(sim, 'Leads').map((lead) => lead['Last_Name'])).toEqual(['Upper'])
  })

  it('refuses Phone in duplicate_check_fields unless the org made it unique, then matches it by digits', async () => {
    const plain = await setup()
    const refused = await plain.crm.post('/crm/v8/Leads/upsert', {
      data: [{ Last_Name: 'P', Phone: '5550100' }],
      duplicate_check_fields: ['Phone'],
    })
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({
      code: 'INVALID_DATA',
      details: { api_name: 'Phone' },
    })

    const { crm } = await setup({ uniqueFields: { Leads: ['Phone'] } })
    await createLead(crm, { Last_Name: 'P', Phone: '+1 (555) 010-0100' })
    const matched = await crm.post('/crm/v8/Leads/upsert', {
      data: [{ Last_Name: 'P2', Phone: '15550100100' }],
      duplicate_check_fields: ['Phone'],
    })
    expect((await matched.json()).data?.[0]).toMatchObject({
      action: 'update',
      duplicate_field: 'Phone',
    })
  })

  it('deletes records by path and by ids', async () => {
    const { sim, crm } = await setup()
    const { id: a } = await createLead(crm, { Last_Name: 'A' })
    const { id: b } = await createLead(crm, { Last_Name: 'B' })
    expect((await (await crm.delete(`/crm/v8/Leads/${a}`)).json()).data?.[0]).toMatchObject({
      message: 'record deleted',
      details: { id: a },
    })
    expect((await crm.delete(`/crm/v8/Leads?ids=${b}`)).status).toBe(200)
    expect(recordsOf(sim, 'Leads')).toHaveLength(0)
  })
})
