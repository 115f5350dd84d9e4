import { describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { CrmRateLimitedError, CrmUnavailableError } from '../crm/errors.ts'
import { createZohoCrm } from './crm.ts'
import { ZohoApiError } from './errors.ts'
import { useZohoHarness } from './harness-hook.ts'

const phone = (i: number) => `+1415555${String(1000 + i).padStart(4, '0')}`

describe('org-wide concurrency', () => {
  const startHarness = useZohoHarness()

  it('keeps 3 clients x 20 concurrent calls within Zoho concurrency of 10 through the shared kv semaphore', async () => {
    const harness = await startHarness({ latencyMs: 50, concurrencyLimit: 10 })
    const clients = [harness.client(), harness.client(), harness.client()]
    const results = await Promise.all(
      clients.flatMap((client, c) =>
        Array.from({ length: 20 }, (_, i) =>
          i % 2 ? client.currentUser() : client.searchByPhone('Leads', phone(c * 20 + i)),
        ),
      ),
    )
    expect(results).toHaveLength(60)
    const stats = harness.sim.stats()
    expect(stats.peakConcurrency).toBeLessThanOrEqual(10)
    expect(stats.peakConcurrency).toBeGreaterThanOrEqual(8)
    expect(stats.served429).toBe(0)
    // 30 user calls + 30 searches that find nothing, each trying both US variants.
    expect(stats.requests).toBe(90)
  })

  it('is what prevents the 429s: the same load without a shared kv overruns Zoho', async () => {
    const harness = await startHarness({ latencyMs: 50, concurrencyLimit: 10 })
    const clients = [1, 2, 3].map(() => harness?.client({ kv: createMemoryKv() }))
    await Promise.all(
      clients.flatMap((client) =>
        Array.from({ length: 20 }, () => client?.currentUser().catch(() => undefined)),
      ),
    )
    expect(harness.sim.stats().served429).toBeGreaterThan(0)
  })

  it('fails with a rate-limit error when no slot frees within waitMs', async () => {
    const harness = await startHarness({ latencyMs: 300 })
    const client = harness.client({ concurrency: { limit: 1, waitMs: 20 } })
    const results = await Promise.allSettled([client.currentUser(), client.currentUser()])
    const refused = results.find((result) => result.status === 'rejected')
    expect(refused?.status === 'rejected' && refused.reason).toMatchObject({
      code: 'CONCURRENCY_WAIT_EXCEEDED',
    })
    expect(harness.sim.stats().requests).toBe(1)
  })
})

describe('retries', () => {
  const startHarness = useZohoHarness()

  it('gets reads through 429 and 500 faults', async () => {
    const harness = await startHarness()
    harness.sim.seed(
      'Leads',
      Array.from({ length: 20 }, (_, i) => ({ Last_Name: `Lead ${i}`, Phone: phone(i) })),
    )
    harness.sim.setFaults({ status429Rate: 0.2, status500Rate: 0.1, seed: 42 })
    const crm = createZohoCrm(harness.client())
    const found = await Promise.all(
      Array.from({ length: 20 }, (_, i) => crm.findPersonByPhone(phone(i))),
    )
    expect(found.map((person) => person?.name)).toEqual(
      Array.from({ length: 20 }, (_, i) => `Lead ${i}`),
    )
    const stats = harness.sim.stats()
    expect(stats.served429).toBeGreaterThan(0)
    expect(stats.served500).toBeGreaterThan(0)
  })

  it('retries creates through 429s without creating anything twice', async () => {
    const harness = await startHarness()
    harness.sim.setFaults({ status429Rate: 0.35, seed: 7 })
    const crm = createZohoCrm(harness.client())
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        crm.createLead({ lastName: `New ${i}`, phone: phone(i) }),
      ),
    )
    expect(new Set(created.map((person) => person.id)).size).toBe(20)
    const leads = harness.sim.state.records('Leads')
    expect(leads).toHaveLength(20)
    expect(new Set(leads.map((lead) => lead['Phone'])).size).toBe(20)
    expect(harness.sim.stats().served429).toBeGreaterThan(0)
  })

  it('does not resend a create after a 500: it may have been applied, so the error says so', async () => {
    const harness = await startHarness()
    const crm = createZohoCrm(harness.client())
    await crm.findPersonByPhone(phone(1))
    const before = harness.sim.stats().requests
    harness.sim.setFaults({ status500Rate: 1 })
    const error = await crm
      .createLead({ lastName: 'Once', phone: phone(1) })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CrmUnavailableError)
    expect(error).toMatchObject({ retryable: true, outcomeUnknown: true, code: 'INTERNAL_ERROR' })
    expect(harness.sim.stats().requests - before).toBe(1)
  })

  it('gives up on a read after the configured attempts, with nothing left unknown', async () => {
    const harness = await startHarness()
    const client = harness.client({ retries: { attempts: 3, baseMs: 1, maxMs: 5 } })
    await client.currentUser()
    harness.sim.setFaults({ status429Rate: 1 })
    const before = harness.sim.stats().requests
    const error = await createZohoCrm(client)
      .findPersonByPhone(phone(2))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CrmRateLimitedError)
    expect((error as CrmRateLimitedError).cause).toBeInstanceOf(ZohoApiError)
    expect(harness.sim.stats().requests - before).toBe(3)
  })
})
