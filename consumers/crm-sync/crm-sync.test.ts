import { Registry } from 'prom-client'
import { afterEach, describe, expect, it } from 'vitest'
import { startGatewayHarness, ZOHO_TOKEN } from '../../gateway/testing/harness.ts'
import { startZohoHarness } from '../../integrations/zoho/testing.ts'
import { createEmbeddedBus } from '../../platform/bus/embedded.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { useMigratedPglite } from '../../test/pglite-ledger.ts'
import { createPhoneCache } from '../lead-matcher/phone-cache.ts'
import { completedCall, openLeadMatcher } from '../lead-matcher/testing.ts'
import { startConsumer } from '../runtime/index.ts'
import { crmSyncConsumer } from './consumer.ts'
import { crmSyncMetrics } from './handler.ts'

const db = useMigratedPglite()

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const step of cleanup.reverse()) await step()
  cleanup.length = 0
})

/**
 * Zoho (simulator) → its notification callback → the real gateway → `zoho.webhooks` → crm-sync,
 * beside the lead-matcher on the same bus and kv.
 */
const openPipeline = async ({ affectedFields }: { affectedFields: boolean }) => {
  const bus = createEmbeddedBus({ path: ':memory:', pollIntervalMs: 10 })
  let gateway: Awaited<ReturnType<typeof startGatewayHarness>> | undefined
  const zoho = await startZohoHarness({
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input))
      if (!gateway) throw new Error('gateway not started')
      return gateway.app.request(`${url.pathname}${url.search}`, init)
    },
  })
  gateway = await startGatewayHarness({ bus })
  cleanup.push(
    () => bus.close(),
    () => zoho.close(),
    () => gateway?.stop() ?? Promise.resolve(),
  )
  const client = zoho.client()
  await client.watch.ensure({
    channelId: '1000500000001',
    events: ['Leads.all', 'Contacts.all'],
    notifyUrl: 'https://callbridge.example.com/webhooks/zoho',
    token: ZOHO_TOKEN,
    returnAffectedFieldValues: affectedFields,
  })
  const registry = new Registry()
  const syncing = await startConsumer({
    bus,
    definition: crmSyncConsumer({
      cache: createPhoneCache({ kv: zoho.kv }),
      region: 'US',
      metrics: crmSyncMetrics(registry),
    }),
    logger: createLogger({
      service: 'test',
      environment: 'test',
      version: 'test',
      level: 'silent',
    }),
    metrics: registry,
  })
  cleanup.push(() => syncing.stop())
  const matcher = await openLeadMatcher({ db: db(), zoho, bus })
  cleanup.push(() => matcher.close())
  const notifications = async (outcome: 'applied' | 'ignored') =>
    (await registry.getSingleMetric('callbridge_crm_sync_notifications_total')?.get())?.values.find(
      (value) => value.labels['outcome'] === outcome,
    )?.value ?? 0
  return { zoho, client, matcher, cache: createPhoneCache({ kv: zoho.kv }), notifications }
}

describe('crm-sync', () => {
  it("evicts a lead's old number when its phone is edited in Zoho, so the next call asks Zoho again", async () => {
    const { zoho, client, matcher, cache } = await openPipeline({ affectedFields: false })
    const [lead] = zoho.sim.seed('Leads', [{ Last_Name: 'Mover', Phone: '+14155550130' }])
    const leadId = String(lead?.['id'])
    await matcher.deliver(completedCall('+14155550130'))
    await matcher.matchedCount(1)
    expect(await cache.get('+14155550130')).toMatchObject({ module: 'Leads', id: leadId })

    await client.updateLead(leadId, { Phone: '+14155550131' })
    await matcher.until(
      async () => (await cache.get('+14155550130')) === null,
      'the old number evicted',
    )

    await matcher.deliver(completedCall('+14155550130'))
    await matcher.deliver(completedCall('+14155550131'))
    const [, second, third] = await matcher.matchedCount(3)
    const byNumber = new Map(
      [second, third].map((event) => [event?.call.external.phoneNumber, event]),
    )
    expect(byNumber.get('+14155550130')).toMatchObject({ createdLead: true })
    expect(byNumber.get('+14155550130')?.person.id).not.toBe(leadId)
    expect(byNumber.get('+14155550131')).toMatchObject({
      createdLead: false,
      person: { id: leadId },
    })
  })

  it('keeps the cache when an edit touches no cached field, and evicts when the record is deleted', async () => {
    const { zoho, client, matcher, cache, notifications } = await openPipeline({
      affectedFields: true,
    })
    const [lead] = zoho.sim.seed('Leads', [{ Last_Name: 'Stayer', Phone: '+14155550132' }])
    const leadId = String(lead?.['id'])
    await matcher.deliver(completedCall('+14155550132'))
    await matcher.matchedCount(1)

    await client.updateLead(leadId, { Lead_Status: 'Contacted' })
    await matcher.until(async () => (await notifications('ignored')) === 1, 'the edit handled')
    expect(await cache.get('+14155550132')).toMatchObject({ id: leadId })

    await client.request({
      operation: 'deleteLead',
      method: 'DELETE',
      path: `/crm/v8/Leads/${leadId}`,
    })
    await matcher.until(
      async () => (await cache.get('+14155550132')) === null,
      'the number evicted',
    )
  })
})
