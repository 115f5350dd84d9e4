import { describe, expect, it } from 'vitest'
import { createZohoSimulator } from './app.ts'
import { crmClient, grantAccessToken } from './testing.ts'

const setup = async () => {
  const sim = createZohoSimulator()
  const crm = crmClient(sim, await grantAccessToken(sim))
  const [lead] = sim.seed('Leads', [{ Last_Name: 'Noted', First_Name: 'Nia' }])
  return { sim, crm, leadId: String(lead?.['id']) }
}

describe('notes', () => {
  it('adds a note to a lead through /Leads/{id}/Notes and lists it with its parent', async () => {
    const { sim, crm, leadId } = await setup()
    const res = await crm.post(`/crm/v8/Leads/${leadId}/Notes`, {
      data: [{ Note_Title: 'Call summary', Note_Content: 'Asked for a quote' }],
    })
    expect(res.status).toBe(201)
    const [result] = (await res.json()).data ?? []
    expect(result).toMatchObject({
      code: 'SUCCESS',
      message: 'record added',
      details: { id: expect.stringMatching(/^\d{19}$/) },
    })
    const list = await crm.get(`/crm/v8/Leads/${leadId}/Notes`)
    const [note] = (await list.json()).data ?? []
    expect(note).toMatchObject({
      id: result?.details?.id,
      Note_Title: 'Call summary',
      Note_Content: 'Asked for a quote',
      Parent_Id: { module: { api_name: 'Leads' }, id: leadId, name: 'Nia Noted' },
    })
    expect(sim.state.notes()).toHaveLength(1)
  })

  it('adds a note through /Notes with Parent_Id and module, as the SDK does', async () => {
    const { crm, leadId } = await setup()
    const res = await crm.post('/crm/v8/Notes', {
      data: [
        { Note_Content: 'via Notes', Parent_Id: { module: { api_name: 'Leads' }, id: leadId } },
      ],
    })
    expect(res.status).toBe(201)
    const id = (await res.json()).data?.[0]?.details?.id
    const [note] = (await (await crm.get(`/crm/v8/Notes/${id}`)).json()).data ?? []
    expect(note).toMatchObject({ Note_Content: 'via Notes', Note_Title: null })
  })

  it('answers MANDATORY_NOT_FOUND without Note_Content and INVALID_DATA for an unknown parent', async () => {
    const { crm, leadId } = await setup()
    const missing = await crm.post(`/crm/v8/Leads/${leadId}/Notes`, {
      data: [{ Note_Title: 'empty' }],
    })
    expect(missing.status).toBe(400)
    expect((await missing.json()).data?.[0]).toEqual({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Note_Content', json_path: '$.data[0].Note_Content' },
      message: 'required field not found',
      status: 'error',
    })
    const orphan = await crm.post('/crm/v8/Notes', {
      data: [
        {
          Note_Content: 'x',
          Parent_Id: { module: { api_name: 'Leads' }, id: '5725767000999999999' },
        },
      ],
    })
    expect((await orphan.json()).data?.[0]).toMatchObject({
      code: 'INVALID_DATA',
      message: 'the related id given seems to be invalid',
    })
    const path = await crm.post('/crm/v8/Leads/5725767000999999999/Notes', {
      data: [{ Note_Content: 'x' }],
    })
    expect(path.status).toBe(400)
    expect((await crm.get(`/crm/v8/Leads/${leadId}/Notes`)).status).toBe(204)
  })
})
