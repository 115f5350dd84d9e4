import { describe, expect, it } from 'vitest'
import { createZohoSimulator } from './app.ts'
import { crmClient, grantAccessToken } from './testing.ts'

const setup = async (options: Parameters<typeof createZohoSimulator>[0] = {}) => {
  const sim = createZohoSimulator(options)
  return { sim, crm: crmClient(sim, await grantAccessToken(sim)) }
}

describe('API limits', () => {
  it('serves at most concurrencyLimit calls at once; the others get 429 TOO_MANY_REQUESTS without Retry-After', async () => {
    const { sim, crm } = await setup({ concurrencyLimit: 4, latencyMs: 100 })
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => crm.get('/crm/v8/users?type=CurrentUser')),
    )
    const statuses = responses.map((res) => res.status)
    expect(statuses.filter((status) => status === 200)).toHaveLength(4)
    const refused = responses.filter((res) => res.status === 429)
    expect(refused).toHaveLength(8)
    for (const res of refused) {
      expect(res.headers.get('retry-after')).toBeNull()
      expect(await res.json()).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        details: {},
        status: 'error',
      })
    }
    expect(sim.stats()).toMatchObject({ peakConcurrency: 4, served429: 8, requests: 12 })
  })

  it('limits concurrent searches to searchConcurrencyLimit within the org limit', async () => {
    const { sim, crm } = await setup({
      concurrencyLimit: 10,
      searchConcurrencyLimit: 2,
      latencyMs: 100,
    })
    const searches = Array.from({ length: 5 }, () => crm.get('/crm/v8/Leads/search?phone=5550100'))
    const others = Array.from({ length: 3 }, () => crm.get('/crm/v8/users?type=CurrentUser'))
    const [searchResults, otherResults] = await Promise.all([
      Promise.all(searches),
      Promise.all(others),
    ])
    expect(searchResults.map((res) => res.status).sort()).toEqual([204, 204, 429, 429, 429])
    expect(otherResults.map((res) => res.status)).toEqual([200, 200, 200])
    expect(sim.stats().peakConcurrency).toBe(5)
  })

  it('charges one credit per call and per ten records written, and refuses calls past dailyCredits', async () => {
    const { sim, crm } = await setup({ dailyCredits: 5 })
    const data = Array.from({ length: 25 }, (_, i) => ({ Last_Name: `L${i}` }))
    expect((await crm.post('/crm/v8/Leads', { data })).status).toBe(201)
    expect(sim.stats().creditsUsed).toBe(3)
    const fourth = await crm.get('/crm/v8/users?type=CurrentUser')
    expect(fourth.headers.get('x-api-credits-remaining')).toBe('1')
    expect((await crm.get('/crm/v8/users?type=CurrentUser')).status).toBe(200)
    const refused = await crm.get('/crm/v8/users?type=CurrentUser')
    expect(refused.status).toBe(429)
    expect(await refused.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' })
  })

  it('injects 500 and 429 faults at the configured rates, reproducibly for a seed', async () => {
    const run = async () => {
      const { sim, crm } = await setup()
      sim.setFaults({ status500Rate: 0.2, status429Rate: 0.2, seed: 42 })
      const statuses: number[] = []
      for (let i = 0; i < 50; i++)
        statuses.push((await crm.get('/crm/v8/users?type=CurrentUser')).status)
      return { statuses, stats: sim.stats() }
    }
    const first = await run()
    const second = await run()
    expect(first.statuses).toEqual(second.statuses)
    const count = (status: number) => first.statuses.filter((s) => s === status).length
    expect(count(500)).toBeGreaterThan(3)
    expect(count(429)).toBeGreaterThan(3)
    expect(count(200)).toBeGreaterThan(15)
    expect(first.stats).toMatchObject({ served500: count(500), served429: count(429) })
    const { sim, crm } = await setup()
    sim.setFaults({ status500Rate: 1 })
    expect(await (await crm.get('/crm/v8/users')).json()).toEqual({
      code: 'INTERNAL_ERROR',
      details: {},
      message: 'Internal server error occurred.',
      status: 'error',
    })
  })

  it('controls faults and reads stats through /_sim', async () => {
    const { sim, crm } = await setup()
    await crm.get('/crm/v8/users')
    const faults = await sim.app.request('/_sim/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status429Rate: 1 }),
    })
    expect(await faults.json()).toEqual({ status429Rate: 1, status500Rate: 0 })
    expect((await crm.get('/crm/v8/users')).status).toBe(429)
    expect(await (await sim.app.request('/_sim/stats')).json()).toMatchObject({
      requests: 2,
      served429: 1,
      tokenRequests: 1,
    })
    await sim.app.request('/_sim/reset-stats', { method: 'POST' })
    expect(sim.stats()).toEqual({
      requests: 0,
      peakConcurrency: 0,
      served429: 0,
      served500: 0,
      creditsUsed: 0,
      tokenRequests: 0,
    })
  })
})
