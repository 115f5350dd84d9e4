/**
 * Fidelity: the responses of every operation the product uses validate against Zoho's own
 * OpenAPI files (shared/zoho-oas/v8.0, read in place). Where an OAS response is a `oneOf` whose
 * alternatives both match any body (record.json's success/exception unions have no required
 * keys), the body is validated against the alternative for its outcome (`/oneOf/0` success,
 * `/oneOf/1` exception). Spec errors patched in memory: `oasDefects` in ./oas.ts.
 */
import { describe, expect, it } from 'vitest'
import { createZohoSimulator } from './app.ts'
import { loadZohoOas, OAS_DIR } from './oas.ts'
import { crmClient, grantAccessToken } from './testing.ts'

const oas = loadZohoOas()
const required = process.env['CALLBRIDGE_REQUIRE_SERVICES'] === '1'

describe('Zoho OAS availability', () => {
  it.runIf(required)('finds the OAS files (CALLBRIDGE_REQUIRE_SERVICES=1)', () => {
    expect(oas, `no OAS files at ${OAS_DIR.pathname}`).not.toBeNull()
  })
})

describe.skipIf(oas === null)('responses validate against the Zoho v8 OAS', () => {
  const conforms = (file: string, pointer: string, body: unknown) => {
    const errors = oas?.validate(file, pointer, body) ?? []
    expect(errors, `${file}#${pointer}\n${JSON.stringify(errors, null, 1)}`).toEqual([])
  }
  const response = (file: string, path: string, method: string, status = '200') =>
    oas?.responsePointer(file, path, method, status) ?? ''

  const setup = async () => {
    const sim = createZohoSimulator()
    sim.setBaseUrl('http://127.0.0.1:4010')
    const crm = crmClient(sim, await grantAccessToken(sim))
    return { sim, crm }
  }

  it('is not vacuous: bodies that break the schemas are reported', async () => {
    const create = `${response('record.json', '/crm/v8/{module_api_name}', 'post')}/oneOf/0`
    const badStatus = {
      data: [{ code: 'SUCCESS', details: { id: '1' }, message: 'record added', status: 'ok' }],
    }
    expect(oas?.validate('record.json', create, badStatus)).not.toEqual([])
    const notes = response('notes.json', '/crm/v8/Notes', 'get')
    expect(oas?.validate('notes.json', notes, { data: [{ id: '1' }] })).not.toEqual([])
    const modules = response('modules.json', '/crm/v8/settings/modules', 'get')
    expect(
      oas?.validate('modules.json', modules, { modules: [{ api_name: 'Leads' }] }),
    ).not.toEqual([])
    const coqlSyntax = `${response('coql.json', '/crm/v8/coql', 'post', '400')}/oneOf/0`
    const noPosition = { code: 'SYNTAX_ERROR', details: {}, message: 'm', status: 'error' }
    expect(oas?.validate('coql.json', coqlSyntax, noPosition)).not.toEqual([])
  })

  it('record create, get, update, bulk update and upsert (record.json)', async () => {
    const { crm } = await setup()
    const RECORD = '/crm/v8/{module_api_name}'
    const created = await (
      await crm.post('/crm/v8/Leads', {
        data: [
          { Last_Name: 'Oas', Phone: '5550100', Email: 'oas@example.com' },
          { First_Name: 'x' },
        ],
      })
    ).json()
    conforms('record.json', `${response('record.json', RECORD, 'post')}/oneOf/0`, created)
    const id = created.data?.[0]?.details?.id
    const got = await (await crm.get(`/crm/v8/Leads/${id}`)).json()
    conforms('record.json', `${response('record.json', `${RECORD}/{id}`, 'get')}/oneOf/0`, got)
    const updated = await (
      await crm.put(`/crm/v8/Leads/${id}`, { data: [{ Mobile: '5550101' }] })
    ).json()
    conforms('record.json', `${response('record.json', `${RECORD}/{id}`, 'put')}/oneOf/0`, updated)
    const bulk = await (
      await crm.put('/crm/v8/Leads', {
        data: [{ id, Company: 'Zylker' }, { id: '5725767000999999999' }],
      })
    ).json()
    conforms('record.json', `${response('record.json', RECORD, 'put')}/oneOf/0`, bulk)
    const upserted = await (
      await crm.post('/crm/v8/Leads/upsert', {
        data: [
          { Last_Name: 'Oas2', Email: 'oas@example.com' },
          { Last_Name: 'New', Email: 'new@example.com' },
        ],
      })
    ).json()
    conforms(
      'record.json',
      `${response('record.json', `${RECORD}/upsert`, 'post')}/oneOf/0`,
      upserted,
    )
    const call = await (
      await crm.post('/crm/v8/Calls', {
        data: [
          {
            Subject: 'Call',
            Call_Type: 'Inbound',
            Call_Start_Time: '2026-03-02T10:15:00+00:00',
            Call_Duration: '01:05',
            What_Id: { id },
            $se_module: 'Leads',
          },
        ],
      })
    ).json()
    conforms('record.json', `${response('record.json', RECORD, 'post')}/oneOf/0`, call)
  })

  it('record lists, by page_token and by ids (record.json)', async () => {
    const { sim, crm } = await setup()
    const seeded = sim.seed('Leads', [
      { Last_Name: 'One', Phone: '+1 555 010 0101' },
      { Last_Name: 'Two', Mobile: '(555) 010-0102' },
    ])
    const list = `${response('record.json', '/crm/v8/{module_api_name}', 'get')}/oneOf/0`
    const first = await (await crm.get('/crm/v8/Leads?fields=Phone,Mobile,Owner&per_page=1')).json()
    conforms('record.json', list, first)
    const token = String(first.info?.['next_page_token'])
    conforms(
      'record.json',
      list,
      await (await crm.get(`/crm/v8/Leads?fields=Phone,Mobile,Owner&page_token=${token}`)).json(),
    )
    const ids = seeded.map((record) => record['id']).join(',')
    conforms(
      'record.json',
      list,
      await (await crm.get(`/crm/v8/Leads?ids=${ids}&fields=Phone`)).json(),
    )
  })

  it('search results and search errors (record.json, module_search.json)', async () => {
    const { sim, crm } = await setup()
    sim.seed('Leads', [{ Last_Name: 'Found', Phone: '+1 555 010 0100' }])
    const found = await (await crm.get('/crm/v8/Leads/search?phone=15550100100')).json()
    conforms(
      'record.json',
      `${response('record.json', '/crm/v8/{module_api_name}/search', 'get')}/oneOf/0`,
      found,
    )
    conforms(
      'module_search.json',
      response('module_search.json', '/crm/v8/{module}/search', 'get'),
      found,
    )
    const invalid = await (await crm.get('/crm/v8/Leads/search?phone=5')).json()
    conforms(
      'record.json',
      `${response('record.json', '/crm/v8/{module_api_name}/search', 'get')}/oneOf/1`,
      invalid,
    )
    const errors = response('module_search.json', '/crm/v8/{module}/search', 'get', '400')
    conforms('module_search.json', errors, await (await crm.get('/crm/v8/Leads/search')).json())
    conforms(
      'module_search.json',
      errors,
      await (await crm.get('/crm/v8/Leads/search?phone=5550100&page=20')).json(),
    )
    const unknownField = await (
      await crm.get(`/crm/v8/Leads/search?criteria=${encodeURIComponent('(Nope:equals:1)')}`)
    ).json()
    conforms('module_search.json', `${errors}/oneOf/3`, unknownField)
  })

  it('COQL rows and COQL errors (coql.json)', async () => {
    const { sim, crm } = await setup()
    sim.seed('Leads', [{ Last_Name: 'Queried', Email: 'q@example.com' }])
    const COQL = '/crm/v8/coql'
    const query = async (select_query: string) => (await crm.post(COQL, { select_query })).json()
    const rows = await query(
      'select Last_Name, Email, Owner, Created_Time, Created_By from Leads where Last_Name is not null',
    )
    conforms('coql.json', `${response('coql.json', COQL, 'post')}/oneOf/0`, rows)
    const errors = response('coql.json', COQL, 'post', '400')
    const syntax = await query('select id from Leads where Last_Name = = 1')
    conforms('coql.json', `${errors}/oneOf/0`, syntax)
    const clause = await query(
      'select id from Leads where id is null and id is null and id is null',
    )
    conforms('coql.json', `${errors}/oneOf/0`, clause)
    const column = await query('select Nope from Leads where id is not null')
    conforms('coql.json', `${errors}/oneOf/1`, column)
    conforms('coql.json', `${errors}/oneOf/3`, column)
    const limit = await query('select id from Leads where id is not null limit 500')
    conforms('coql.json', `${errors}/oneOf/2`, limit)
    const duplicate = await query('select id, id from Leads where id is not null')
    conforms('coql.json', `${errors}/oneOf/5`, duplicate)
  })

  it('notes create and list (notes.json, related_records.json)', async () => {
    const { sim, crm } = await setup()
    const [lead] = sim.seed('Leads', [{ Last_Name: 'Noted' }])
    const created = await (
      await crm.post(`/crm/v8/Leads/${lead?.['id']}/Notes`, {
        data: [{ Note_Title: 'Call', Note_Content: 'Summary' }],
      })
    ).json()
    conforms('notes.json', response('notes.json', '/crm/v8/Notes', 'post'), created)
    const viaNotes = await (
      await crm.post('/crm/v8/Notes', {
        data: [
          {
            Note_Title: 'SDK',
            Note_Content: 'x',
            Parent_Id: { module: { api_name: 'Leads' }, id: lead?.['id'] },
          },
        ],
      })
    ).json()
    conforms('notes.json', response('notes.json', '/crm/v8/Notes', 'post'), viaNotes)
    const list = await (await crm.get(`/crm/v8/Leads/${lead?.['id']}/Notes`)).json()
    conforms('notes.json', response('notes.json', '/crm/v8/Notes', 'get'), list)
    conforms(
      'related_records.json',
      `${response('related_records.json', '/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}', 'get')}/oneOf/0`,
      list,
    )
    const missing = await (
      await crm.post('/crm/v8/Notes', { data: [{ Note_Title: 'no content' }] })
    ).json()
    conforms(
      'notes.json',
      `${response('notes.json', '/crm/v8/Notes', 'post', '202')}/oneOf/0`,
      missing,
    )
  })

  it('attachment upload answer and list (attachments.json)', async () => {
    const { sim, crm } = await setup()
    const [lead] = sim.seed('Leads', [{ Last_Name: 'Recorded' }])
    const form = new FormData()
    form.append('file', new Blob(['RIFF....WAVE']), 'call.wav')
    const path = `/crm/v8/Leads/${lead?.['id']}/Attachments`
    const uploaded = await (await crm.request(path, { method: 'POST', body: form })).json()
    conforms(
      'attachments.json',
      response('attachments.json', '/crm/v8/{module}/{record_id}/Attachments', 'post'),
      uploaded,
    )
    const fields =
      'Owner,Modified_By,Created_By,Parent_Id,Modified_Time,Created_Time,File_Name,Size,$editable,$file_id,$type,$se_module,$state,$link_url'
    const list = await (await crm.get(`${path}?fields=${encodeURIComponent(fields)}`)).json()
    conforms(
      'attachments.json',
      response('attachments.json', '/crm/v8/{module}/{record_id}/Attachments', 'get'),
      list,
    )
  })

  it('watch enable, list, update and delete (notifications.json)', async () => {
    const { crm } = await setup()
    const WATCH = '/crm/v8/actions/watch'
    const item = {
      channel_id: '1000000068001',
      events: ['Leads.create', 'Contacts.all'],
      notify_url: 'https://gw.example.com/webhooks/zoho?secret=s',
      token: 'tok',
    }
    conforms(
      'notifications.json',
      response('notifications.json', WATCH, 'post', '201'),
      await (await crm.post(WATCH, { watch: [item] })).json(),
    )
    conforms(
      'notifications.json',
      response('notifications.json', WATCH, 'get'),
      await (await crm.get(WATCH)).json(),
    )
    const patched = await (
      await crm.patch(WATCH, { watch: [{ channel_id: '1000000068001', token: 'tok2' }] })
    ).json()
    conforms('notifications.json', response('notifications.json', WATCH, 'patch'), patched)
    const replaced = await (await crm.put(WATCH, { watch: [item] })).json()
    conforms('notifications.json', response('notifications.json', WATCH, 'put'), replaced)
    const deleted = await (await crm.delete(`${WATCH}?channel_ids=1000000068001`)).json()
    conforms('notifications.json', response('notifications.json', WATCH, 'delete'), deleted)
  })

  it('current user, modules and fields (users.json, modules.json, fields.json)', async () => {
    const { crm } = await setup()
    conforms(
      'users.json',
      response('users.json', '/crm/v8/users', 'get'),
      await (await crm.get('/crm/v8/users?type=CurrentUser')).json(),
    )
    conforms(
      'users.json',
      response('users.json', '/crm/v8/users', 'get'),
      await (await crm.get('/crm/v8/users?type=ActiveUsers')).json(),
    )
    conforms(
      'modules.json',
      response('modules.json', '/crm/v8/settings/modules', 'get'),
      await (await crm.get('/crm/v8/settings/modules')).json(),
    )
    for (const module of ['Leads', 'Contacts', 'Accounts', 'Calls', 'Notes']) {
      const fields = await (await crm.get(`/crm/v8/settings/fields?module=${module}`)).json()
      conforms('fields.json', response('fields.json', '/crm/v8/settings/fields', 'get'), fields)
    }
  })

  it('error envelopes: 401 INVALID_TOKEN (record.json), 429 TOO_MANY_REQUESTS (common.json only)', async () => {
    const { sim } = await setup()
    const expired = await crmClient(sim, '1000.expired.token').get(
      '/crm/v8/Leads/5725767000000100001',
    )
    conforms('record.json', '/components/schemas/API_Exception', await expired.json())
    sim.setFaults({ status429Rate: 1 })
    const throttled = await crmClient(sim, await grantAccessToken(sim)).get('/crm/v8/users')
    const body = await throttled.json()
    conforms('common.json', '/components/schemas/API_Exception', body)
    // TOO_MANY_REQUESTS is in no OAS code enum: a documented gap.
    expect(oas?.validate('record.json', '/components/schemas/API_Exception', body)).not.toEqual([])
  })
})
