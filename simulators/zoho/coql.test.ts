import { describe, expect, it } from 'vitest'
import { createZohoSimulator } from './app.ts'
import { crmClient, firstId, grantAccessToken } from './testing.ts'

const setup = async (options: Parameters<typeof createZohoSimulator>[0] = {}) => {
  const sim = createZohoSimulator(options)
  const crm = crmClient(sim, await grantAccessToken(sim))
  const coql = async (query: string) => {
    const res = await crm.post('/crm/v8/coql', { select_query: query })
    const body = res.status === 204 ? null : await res.json()
    return { status: res.status, body, ids: (body?.data ?? []).map((row) => row.id) }
  }
  return { sim, crm, coql }
}

const call = (leadId: string, start: string, extra: Record<string, unknown> = {}) => ({
  Subject: 'Inbound call',
  Call_Type: 'Inbound',
  Call_Start_Time: start,
  Call_Duration: '03:25',
  What_Id: { id: leadId },
  $se_module: 'Leads',
  Description: 'RingCentral telephony session: s-1',
  ...extra,
})

describe('COQL: what it reads', () => {
  it('finds a record created a moment ago while search does not see it yet (no index lag)', async () => {
    const { sim, crm, coql } = await setup({ indexLagMs: 60_000 })
    const [lead] = sim.seed('Leads', [{ Last_Name: 'Caller' }])
    const leadId = String(lead?.['id'])
    const created = await crm.post('/crm/v8/Calls', {
      data: [call(leadId, '2026-03-02T10:15:00+00:00')],
    })
    const id = firstId(await created.json())

    const criteria = encodeURIComponent(`(What_Id:equals:${leadId})`)
    expect((await crm.get(`/crm/v8/Calls/search?criteria=${criteria}`)).status).toBe(204)
    const found = await coql(
      `select Subject, Description, What_Id from Calls where (What_Id = '${leadId}' and Call_Start_Time = '2026-03-02T10:15:00+00:00')`,
    )
    expect(found.status).toBe(200)
    expect(found.body).toEqual({
      data: [
        {
          Subject: 'Inbound call',
          Description: 'RingCentral telephony session: s-1',
          What_Id: { name: 'Caller', id: leadId },
          id,
        },
      ],
      info: { count: 1, more_records: false },
    })
  })

  it('answers 204 with no body when nothing matches', async () => {
    const { coql } = await setup()
    const res = await coql("select id from Leads where Last_Name = 'Nobody'")
    expect(res).toMatchObject({ status: 204, body: null })
  })

  it('applies =, !=, like, not like, in, not in, is (not) null case-insensitively to text', async () => {
    const { sim, coql } = await setup()
    const [boyle, boyd, kate] = sim.seed('Leads', [
      { Last_Name: 'Boyle', Email: 'p.boyle@zylker.com', Lead_Source: 'Cold Call' },
      { Last_Name: 'Boyd', Lead_Source: 'Advertisement' },
      { Last_Name: 'Kate', Email: 'kate@spam.example', Lead_Source: 'Cold Call' },
    ])
    const ids = async (where: string) =>
      (await coql(`select Last_Name from Leads where ${where}`)).ids.sort()
    expect(await ids("Last_Name = 'boyle'")).toEqual([boyle?.['id']])
    expect(await ids("Last_Name != 'Boyle'")).toEqual([boyd?.['id'], kate?.['id']].sort())
    expect(await ids("Last_Name like 'boy%'")).toEqual([boyle?.['id'], boyd?.['id']].sort())
    expect(await ids("Last_Name like '%LE'")).toEqual([boyle?.['id']])
    expect(await ids("Email not like '%spam%'")).toEqual([boyle?.['id']])
    expect(await ids("Lead_Source in ('Advertisement', 'Employee Referral')")).toEqual([
      boyd?.['id'],
    ])
    expect(await ids("Lead_Source not in ('Advertisement')")).toEqual(
      [boyle?.['id'], kate?.['id']].sort(),
    )
    expect(await ids('Email is null')).toEqual([boyd?.['id']])
    expect(await ids('Email is not null')).toEqual([boyle?.['id'], kate?.['id']].sort())
  })

  it('compares date-times and numbers, and lookups and the owner by id', async () => {
    const { sim, crm, coql } = await setup()
    const [lead] = sim.seed('Leads', [{ Last_Name: 'Caller' }])
    const leadId = String(lead?.['id'])
    const post = async (start: string, duration: string) =>
      firstId(
        await (
          await crm.post('/crm/v8/Calls', {
            data: [call(leadId, start, { Call_Duration: duration })],
          })
        ).json(),
      )
    const early = await post('2026-03-02T09:00:00+00:00', '00:30')
    const late = await post('2026-03-02T11:00:00+01:00', '10:00')
    const where = async (condition: string) =>
      (await coql(`select id from Calls where ${condition}`)).ids.sort()
    expect(await where("Call_Start_Time > '2026-03-02T09:30:00+00:00'")).toEqual([late])
    expect(
      await where(
        "Call_Start_Time between '2026-03-02T08:00:00+00:00' and '2026-03-02T10:00:00+00:00'",
      ),
    ).toEqual([early, late].sort())
    expect(await where('Call_Duration_in_seconds >= 60')).toEqual([late])
    expect(await where(`What_Id = '${leadId}'`)).toEqual([early, late].sort())
    expect(await where(`What_Id in ('${leadId}', '5725767000999999999')`)).toEqual(
      [early, late].sort(),
    )
    expect(await where('Who_Id is null')).toEqual([early, late].sort())
    expect(await where("Owner = '5725767000000300001'")).toEqual([early, late].sort())
  })

  it('orders, limits and pages with OFFSET, telling whether more records follow', async () => {
    const { sim, coql } = await setup()
    sim.seed(
      'Leads',
      ['C', 'A', 'D', 'B', 'E'].map((name) => ({ Last_Name: name })),
    )
    const page = async (tail: string) => {
      const res = await coql(`select Last_Name from Leads where Last_Name is not null ${tail}`)
      return { names: res.body?.data?.map((row) => row['Last_Name']), info: res.body?.info }
    }
    expect(await page('order by Last_Name limit 2')).toEqual({
      names: ['A', 'B'],
      info: { count: 2, more_records: true },
    })
    expect(await page('order by Last_Name desc limit 2 offset 2')).toEqual({
      names: ['C', 'B'],
      info: { count: 2, more_records: true },
    })
    expect(await page('order by Last_Name limit 4, 2')).toEqual({
      names: ['E'],
      info: { count: 1, more_records: false },
    })
  })
})

describe('COQL: errors', () => {
  it('answers a syntax error 400 SYNTAX_ERROR with where it went wrong', async () => {
    const { coql } = await setup()
    expect(await coql('select id from Leads where Last_Name = = 1')).toMatchObject({
      status: 400,
      body: {
        code: 'SYNTAX_ERROR',
        status: 'error',
        details: { line: 1, column: 40, near: '=' },
      },
    })
    const unbracketed = await coql(
      "select id from Leads where Last_Name = 'a' and Email is null and Phone is null",
    )
    expect(unbracketed.body).toMatchObject({ code: 'SYNTAX_ERROR', details: { clause: 'where' } })
  })

  it('rejects unknown modules and columns, and values of the wrong type, with INVALID_QUERY', async () => {
    const { coql } = await setup()
    const cases: [string, Record<string, unknown>][] = [
      [
        'select id from Deals where id is not null',
        { details: { module: 'Deals', reason: 'invalid module given' } },
      ],
      [
        'select Nope from Leads where id is not null',
        { message: 'column given seems to be invalid', details: { column_name: 'Nope' } },
      ],
      [
        "select id from Leads where Created_Time > 'yesterday'",
        {
          message: 'value given seems to be invalid for the column',
          details: { column_name: 'Created_Time', expected_data_type: 'datetime' },
        },
      ],
      [
        "select id from Calls where What_Id like '57%'",
        { details: { column_name: 'What_Id', operator: 'like', reason: 'invalid operator found' } },
      ],
      [
        "select id from Leads where Email not like 'spam%'",
        { details: { column_name: 'Email', operator: 'not like' } },
      ],
    ]
    for (const [query, expected] of cases) {
      const res = await coql(query)
      expect(res.status, query).toBe(400)
      expect(res.body, query).toMatchObject({ code: 'INVALID_QUERY', ...expected })
    }
  })

  it('refuses multi-line fields such as Description in criteria (select them and filter yourself)', async () => {
    const { coql } = await setup()
    const res = await coql("select id from Calls where Description like '%s-1%'")
    expect(res).toMatchObject({
      status: 400,
      body: {
        code: 'INVALID_QUERY',
        message: 'data type not supported',
        details: { column_name: 'Description', data_type: 'textarea' },
      },
    })
  })

  it('enforces LIMIT 200, 10 000 reachable rows, 100 values in `in`, and one mention per column', async () => {
    const { coql } = await setup()
    const where = 'where id is not null'
    expect((await coql(`select id from Leads ${where} limit 201`)).body).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { by: 'limit', limit: 200 },
    })
    expect((await coql(`select id from Leads ${where} limit 200 offset 9900`)).body).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { by: 'offset', limit: 10_000 },
    })
    const many = Array.from({ length: 101 }, (_, i) => `'${i}'`).join(', ')
    expect((await coql(`select id from Leads where Last_Name in (${many})`)).body).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { by: 'in', limit: 100 },
    })
    expect((await coql(`select Last_Name, last_name from Leads ${where}`)).body).toMatchObject({
      code: 'DUPLICATE_DATA',
      details: { column_name: 'Last_Name' },
    })
  })

  it('needs select_query in the body', async () => {
    const { crm } = await setup()
    const res = await crm.post('/crm/v8/coql', { query: 'select id from Leads' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'select_query' },
    })
  })
})

describe('COQL: limits and auth', () => {
  it('needs an access token', async () => {
    const { sim } = await setup()
    const res = await sim.app.request('/crm/v8/coql', {
      method: 'POST',
      body: JSON.stringify({ select_query: 'select id from Leads where id is not null' }),
    })
    expect(res.status).toBe(401)
  })

  it('counts toward the sub-concurrency of 10 shared with search', async () => {
    const { crm } = await setup({ searchConcurrencyLimit: 2, latencyMs: 100 })
    const body = { select_query: 'select id from Leads where id is not null' }
    const results = await Promise.all([
      crm.post('/crm/v8/coql', body),
      crm.get('/crm/v8/Leads/search?phone=5550100'),
      crm.post('/crm/v8/coql', body),
      crm.post('/crm/v8/coql', body),
    ])
    expect(results.map((res) => res.status).sort()).toEqual([204, 204, 429, 429])
  })

  it('answers with an injected fault like every CRM call', async () => {
    const { sim, coql } = await setup()
    sim.setFaults({ status500Rate: 1 })
    expect(await coql('select id from Leads where id is not null')).toMatchObject({
      status: 500,
      body: { code: 'INTERNAL_ERROR' },
    })
  })
})
