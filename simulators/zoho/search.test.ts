import { describe, expect, it } from 'vitest'
import { createZohoSimulator } from './app.ts'
import { crmClient, grantAccessToken, manualClock } from './testing.ts'

const setup = async (options: Parameters<typeof createZohoSimulator>[0] = {}) => {
  const sim = createZohoSimulator(options)
  const crm = crmClient(sim, await grantAccessToken(sim))
  const search = async (module: string, query: string) => {
    const res = await crm.get(`/crm/v8/${module}/search?${query}`)
    const body = res.status === 204 ? null : await res.json()
    return { status: res.status, body, ids: (body?.data ?? []).map((r) => r.id) }
  }
  return { sim, crm, search }
}

describe('search by phone', () => {
  it('finds a lead through any phone field whose digits equal the value', async () => {
    const { sim, search } = await setup()
    const [byPhone, byMobile, other] = sim.seed('Leads', [
      { Last_Name: 'Phone', Phone: '+1 (555) 010-2030' },
      { Last_Name: 'Mobile', Mobile: '15550102030' },
      { Last_Name: 'Other', Phone: '+1 555 010 9999' },
    ])
    const found = await search('Leads', 'phone=15550102030')
    expect(found.status).toBe(200)
    expect(found.ids.sort()).toEqual([byPhone?.['id'], byMobile?.['id']].sort())
    expect(found.ids).not.toContain(other?.['id'])
    expect(found.body?.info).toEqual({ per_page: 200, count: 2, page: 1, more_records: false })
  })

  it('does not match on a suffix or without the country code: the digits must be the same', async () => {
    const { sim, search } = await setup()
    sim.seed('Leads', [{ Last_Name: 'Intl', Phone: '+15550102030' }])
    expect((await search('Leads', 'phone=5550102030')).status).toBe(204)
    expect((await search('Leads', 'phone=0102030')).status).toBe(204)
    expect((await search('Leads', 'phone=15550102030')).status).toBe(200)
  })

  it('searches Home_Phone, Other_Phone and Asst_Phone of contacts too', async () => {
    const { sim, search } = await setup()
    const [contact] = sim.seed('Contacts', [{ Last_Name: 'C', Asst_Phone: '555-0100' }])
    expect((await search('Contacts', 'phone=5550100')).ids).toEqual([contact?.['id']])
  })

  it('answers 400 INVALID_DATA for a value with special characters or under two characters', async () => {
    const { search } = await setup()
    for (const value of ['%2B15550102030', '+15550102030', '555-0100', '(555)0100', '5', '']) {
      const result = await search('Leads', `phone=${value}`)
      expect(result.status, value).toBe(400)
      expect(result.body).toEqual({
        code: 'INVALID_DATA',
        details: { param_name: 'phone' },
        message: 'invalid data',
        status: 'error',
      })
    }
  })

  it('answers 204 with no body when nothing matches', async () => {
    const { crm } = await setup()
    const res = await crm.get('/crm/v8/Leads/search?phone=5550199')
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
  })

  it('does not find records created or updated less than indexLagMs ago', async () => {
    const clock = manualClock()
    const { crm, search } = await setup({ now: clock.now, indexLagMs: 2000 })
    const created = await crm.post('/crm/v8/Leads', {
      data: [{ Last_Name: 'New', Phone: '5550123' }],
    })
    const id = (await created.json()).data?.[0]?.details?.id
    expect((await crm.get(`/crm/v8/Leads/${id}`)).status).toBe(200)
    expect((await search('Leads', 'phone=5550123')).status).toBe(204)
    clock.advance(2000)
    expect((await search('Leads', 'phone=5550123')).ids).toEqual([id])
    await crm.put(`/crm/v8/Leads/${id}`, { data: [{ Phone: '5550456' }] })
    clock.advance(1999)
    // The index still has the old number until the lag has passed.
    expect((await search('Leads', 'phone=5550123')).ids).toEqual([id])
    expect((await search('Leads', 'phone=5550456')).status).toBe(204)
    clock.advance(1)
    expect((await search('Leads', 'phone=5550456')).ids).toEqual([id])
    expect((await search('Leads', 'phone=5550123')).status).toBe(204)
  })

  it('hides converted leads unless converted=true or both', async () => {
    const { sim, search } = await setup()
    const [converted] = sim.seed('Leads', [
      { Last_Name: 'Conv', Phone: '5550777', Converted__s: true },
    ])
    expect((await search('Leads', 'phone=5550777')).status).toBe(204)
    expect((await search('Leads', 'phone=5550777&converted=both')).ids).toEqual([converted?.['id']])
  })
})

describe('search by criteria, email and word', () => {
  it('matches phone fields in criteria by digits, with or', async () => {
    const { sim, search } = await setup()
    const [a, b] = sim.seed('Leads', [
      { Last_Name: 'A', Phone: '+1 555 010 2030' },
      { Last_Name: 'B', Mobile: '15550102030' },
    ])
    const criteria = encodeURIComponent(
      '((Phone:equals:+15550102030)or(Mobile:equals:+15550102030))',
    )
    const found = await search('Leads', `criteria=${criteria}`)
    expect(found.ids.sort()).toEqual([a?.['id'], b?.['id']].sort())
    expect(found.body?.info).toMatchObject({ sort_by: 'id', sort_order: 'desc' })
  })

  it('treats equals on text as contains on word boundaries, and supports escapes, in and starts_with', async () => {
    const { sim, search } = await setup()
    const [abc, , burns] = sim.seed('Leads', [
      { Last_Name: 'X', Company: 'ABC Inc' },
      { Last_Name: 'Y', Company: 'ABCD' },
      { Last_Name: 'Burns,B', Company: 'Other' },
    ])
    expect(
      (await search('Leads', `criteria=${encodeURIComponent('(Company:equals:abc)')}`)).ids,
    ).toEqual([abc?.['id']])
    expect(
      (await search('Leads', `criteria=${encodeURIComponent('(Last_Name:equals:Burns\\,B)')}`)).ids,
    ).toEqual([burns?.['id']])
    expect(
      (await search('Leads', `criteria=${encodeURIComponent('(Last_Name:in:X,Nobody)')}`)).ids,
    ).toEqual([abc?.['id']])
    expect(
      (await search('Leads', `criteria=${encodeURIComponent('(Company:starts_with:ABC)')}`)).ids,
    ).toHaveLength(2)
  })

  it('answers INVALID_QUERY for an unknown field, a wrong operator or broken syntax', async () => {
    const { search } = await setup()
    const unknown = await search('Leads', `criteria=${encodeURIComponent('(Nope:equals:1)')}`)
    expect(unknown.status).toBe(400)
    expect(unknown.body).toMatchObject({ code: 'INVALID_QUERY', details: { api_name: 'Nope' } })
    const operator = await search(
      'Leads',
      `criteria=${encodeURIComponent('(Phone:greater_than:1)')}`,
    )
    expect(operator.body).toMatchObject({
      code: 'INVALID_QUERY',
      details: { operator: 'greater_than' },
    })
    const syntax = await search('Leads', `criteria=${encodeURIComponent('((Phone:equals:1)')}`)
    expect(syntax.body).toMatchObject({ code: 'INVALID_QUERY' })
  })

  it('finds by email case-insensitively and by a word of a text field', async () => {
    const { sim, search } = await setup()
    const [lead] = sim.seed('Leads', [
      { Last_Name: 'Mail', Email: 'Lina@Example.com', Company: 'Zylker Labs' },
    ])
    expect((await search('Leads', 'email=lina@example.com')).ids).toEqual([lead?.['id']])
    expect((await search('Leads', 'word=zylker')).ids).toEqual([lead?.['id']])
  })

  it('answers EXPECTED_PARAM_MISSING without a search parameter and LIMIT_REACHED past 2000 records', async () => {
    const { search } = await setup()
    expect((await search('Leads', '')).body).toMatchObject({
      code: 'EXPECTED_PARAM_MISSING',
      details: { param_names: ['criteria', 'email', 'phone', 'word'] },
    })
    expect((await search('Leads', 'phone=5550100&page=11')).body).toMatchObject({
      code: 'LIMIT_REACHED',
    })
  })
})
