import { describe, expect, it } from 'vitest'
import { createZohoSimulator } from './app.ts'
import { crmClient, grantAccessToken, type ZohoJson } from './testing.ts'

const setup = async (options: Parameters<typeof createZohoSimulator>[0] = {}) => {
  const sim = createZohoSimulator(options)
  return { sim, crm: crmClient(sim, await grantAccessToken(sim)) }
}

const leads = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({
    Last_Name: `Lead ${from + i}`,
    Phone: `+1 415 555 ${String(from + i).padStart(4, '0')}`,
  }))

const ids = (body: ZohoJson) => (body.data ?? []).map((record) => String(record.id))

describe('Get Records (list)', () => {
  it('pages a module with page_token, newest id first, the fields asked for plus id', async () => {
    const { sim, crm } = await setup()
    sim.seed('Leads', leads(450))
    const seen: string[] = []
    let token: string | undefined
    let pages = 0
    do {
      const query = `fields=Phone,Mobile&per_page=200${token ? `&page_token=${token}` : ''}`
      const body = await (await crm.get(`/crm/v8/Leads?${query}`)).json()
      pages += 1
      seen.push(...ids(body))
      expect(Object.keys(body.data?.[0] ?? {}).sort()).toEqual(['Mobile', 'Phone', 'id'])
      token = body.info?.['next_page_token'] as string | undefined
      expect(body.info?.['more_records']).toBe(token !== undefined)
      if (token) expect(body.info?.['page_token_expiry']).toMatch(/\+00:00$/)
    } while (token)
    expect(pages).toBe(3)
    expect(new Set(seen).size).toBe(450)
    expect(seen).toEqual([...seen].sort().reverse())
  })

  it('continues a page_token after its last record, whatever was created or deleted meanwhile', async () => {
    const { sim, crm } = await setup()
    sim.seed('Leads', leads(5))
    const first = await (await crm.get('/crm/v8/Leads?fields=Phone&per_page=2')).json()
    const [, second] = ids(first)
    const all = ids(await (await crm.get('/crm/v8/Leads?fields=Phone')).json())
    await crm.delete(`/crm/v8/Leads/${second}`)
    await crm.post('/crm/v8/Leads', { data: leads(1, 9) })
    const token = String(first.info?.['next_page_token'])
    const rest = await (await crm.get(`/crm/v8/Leads?fields=Phone&page_token=${token}`)).json()
    expect(ids(rest)).toEqual(all.slice(2))
  })

  it('needs fields to list, reaches 2,000 records with page, and refuses page with page_token', async () => {
    const { sim, crm } = await setup()
    expect((await (await crm.get('/crm/v8/Leads')).json()).code).toBe('REQUIRED_PARAM_MISSING')
    expect((await crm.get('/crm/v8/Leads?fields=Phone')).status).toBe(204)
    sim.seed('Leads', leads(2001))
    const tenth = await crm.get('/crm/v8/Leads?fields=Phone&page=10&per_page=200')
    const body = await tenth.json()
    expect(body.data).toHaveLength(200)
    expect(body.info?.['more_records']).toBe(true)
    const beyond = await crm.get('/crm/v8/Leads?fields=Phone&page=11&per_page=200')
    expect(beyond.status).toBe(400)
    expect((await beyond.json()).code).toBe('LIMIT_REACHED')
    const token = String(body.info?.['next_page_token'])
    const last = await (await crm.get(`/crm/v8/Leads?fields=Phone&page_token=${token}`)).json()
    expect(last.data).toHaveLength(1)
    expect(last.info?.['more_records']).toBe(false)
    const both = await crm.get(`/crm/v8/Leads?fields=Phone&page=2&page_token=${token}`)
    expect(both.status).toBe(400)
    const forged = await crm.get('/crm/v8/Leads?fields=Phone&page_token=not-a-token')
    expect(await forged.json()).toMatchObject({ code: 'INVALID_DATA', status: 'error' })
  })

  it('lets a page_token expire after a day', async () => {
    let now = Date.parse('2026-03-02T10:00:00Z')
    const { sim, crm } = await setup({ now: () => now, accessTokenTtlS: 3 * 24 * 3600 })
    sim.seed('Leads', leads(3))
    const first = await (await crm.get('/crm/v8/Leads?fields=Phone&per_page=1')).json()
    now += 24 * 60 * 60 * 1000 + 1
    const late = await crm.get(
      `/crm/v8/Leads?fields=Phone&page_token=${first.info?.['next_page_token']}`,
    )
    expect(late.status).toBe(400)
  })

  it('hides converted leads unless converted=true or both', async () => {
    const { sim, crm } = await setup()
    sim.seed('Leads', [...leads(2), { Last_Name: 'Converted', Converted__s: true }])
    const count = async (query: string) =>
      ids(await (await crm.get(`/crm/v8/Leads?fields=Last_Name${query}`)).json()).length
    expect(await count('')).toBe(2)
    expect(await count('&converted=true')).toBe(1)
    expect(await count('&converted=both')).toBe(3)
  })

  it('reads records by ids at once, without the search index lag, leaving unknown ids out', async () => {
    const { crm } = await setup({ indexLagMs: 60_000 })
    const created = await (await crm.post('/crm/v8/Leads', { data: leads(2) })).json()
    const [a, b] = (created.data ?? []).map((item) => String(item.details?.id))
    expect((await crm.get('/crm/v8/Leads/search?phone=14155550000')).status).toBe(204)
    const unknown = '5725767000999999999'
    const found = await (
      await crm.get(`/crm/v8/Leads?ids=${a},${unknown},${b}&fields=Phone,Owner`)
    ).json()
    expect(found.data).toEqual([
      {
        Phone: '+1 415 555 0000',
        Owner: expect.objectContaining({ id: expect.any(String) }),
        id: a,
      },
      {
        Phone: '+1 415 555 0001',
        Owner: expect.objectContaining({ id: expect.any(String) }),
        id: b,
      },
    ])
    expect((await crm.get(`/crm/v8/Leads?ids=${unknown}&fields=Phone`)).status).toBe(204)
    const listed = ids(await (await crm.get('/crm/v8/Leads?fields=Phone')).json())
    expect(listed.sort()).toEqual([a, b].sort())
  })
})
