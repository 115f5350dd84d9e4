import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createZohoCrm } from '../../integrations/zoho/crm.ts'
import { useZohoHarness } from '../../integrations/zoho/harness-hook.ts'
import { createLogger } from '../../platform/log/logger.ts'
import type { ZohoWebhookEvent } from '../../schemas/webhook-event.ts'
import { createPhoneCache } from '../lead-matcher/phone-cache.ts'
import { directoryTimings, unsureSince } from './directory-marks.ts'
import { syncDirectory } from './directory-sync.ts'
import { createCrmSyncHandler } from './handler.ts'
import { crmSyncMetrics } from './metrics.ts'

const timings = directoryTimings(6 * 60 * 60 * 1000)
const logger = createLogger({ service: 'test', environment: 'test', version: 't', level: 'silent' })

const event = (
  module: string,
  operation: string,
  ids: string[],
  affected?: unknown,
): ZohoWebhookEvent => ({
  provider: 'zoho',
  kind: `${module}.${operation}`,
  receivedAt: new Date().toISOString(),
  dedupKey: `zoho:1:${operation}:${ids.join(',')}:1`,
  payload: {
    server_time: Date.now(),
    module,
    operation,
    ids,
    channel_id: '1000500000001',
    ...(affected === undefined ? {} : { affected_fields: affected }),
  },
})

describe('crm-sync with the phone directory: notifications read back by id', () => {
  const startHarness = useZohoHarness()
  const start = async (simOptions = {}) => {
    const started = await startHarness(simOptions)
    const crm = createZohoCrm(started.client())
    const cache = createPhoneCache({ kv: started.kv })
    const handler = createCrmSyncHandler({
      cache,
      region: 'US',
      metrics: crmSyncMetrics(new Registry()),
      directory: { crm, kv: started.kv, timings },
    })
    const deliver = (e: ZohoWebhookEvent) =>
      handler(e, { key: null, headers: {}, attempt: 1, correlationId: e.dedupKey, logger })
    const sync = () => syncDirectory({ crm, kv: started.kv, timings })
    const requests = () => started.sim.stats().requests
    return { harness: started, client: started.client(), cache, deliver, sync, requests }
  }

  it("writes an edited lead's new number and evicts the old one, marked unsure; a redelivery changes nothing", async () => {
    const { harness, client, cache, deliver, sync } = await start()
    const [lead] = harness.sim.seed('Leads', [{ Last_Name: 'Mover', Phone: '(415) 555-0130' }])
    const id = String(lead?.['id'])
    await sync()
    await client.updateLead(id, { Phone: '+1 415-555-0131' })

    for (let delivery = 0; delivery < 2; delivery += 1) {
      await deliver(event('Leads', 'update', [id]))
      expect(await cache.lookup('+14155550131')).toMatchObject({
        person: { module: 'Leads', id },
        origin: 'directory',
      })
      expect(await cache.get('+14155550130')).toBeNull()
    }
    expect(await unsureSince(harness.kv, '+14155550130')).not.toBeNull()
    expect(await unsureSince(harness.kv, '+14155550131')).toBeNull()
  })

  it('reads a new contact at once although search lags, and leaves a number it shares with a lead to the lead', async () => {
    const { harness, client, cache, deliver, sync } = await start({ indexLagMs: 60_000 })
    const [lead] = harness.sim.seed('Leads', [{ Last_Name: 'Lead', Phone: '4155550140' }])
    await sync()
    const { id } = await client.createRecord('Contacts', {
      Last_Name: 'New',
      Phone: '+1 415 555 0140',
      Mobile: '+1 415 555 0141',
    })
    await deliver(event('Contacts', 'insert', [id]))
    expect(await cache.get('+14155550141')).toMatchObject({ module: 'Contacts', id })
    expect(await cache.get('+14155550140')).toMatchObject({ module: 'Leads', id: lead?.['id'] })
  })

  it("forgets a deleted lead's numbers without reading Zoho, and marks them unsure", async () => {
    const { harness, cache, deliver, sync, requests } = await start()
    const [lead] = harness.sim.seed('Leads', [{ Last_Name: 'Gone', Mobile: '4155550150' }])
    await sync()
    const before = requests()
    await deliver(event('Leads', 'delete', [String(lead?.['id'])]))
    expect(requests()).toBe(before)
    expect(await cache.get('+14155550150')).toBeNull()
    expect(await unsureSince(harness.kv, '+14155550150')).not.toBeNull()
  })

  it('changes nothing when Zoho cannot be read (the runtime retries), and reads nothing for an edit of other fields', async () => {
    const { harness, client, cache, deliver, sync, requests } = await start()
    const [lead] = harness.sim.seed('Leads', [{ Last_Name: 'Kept', Phone: '4155550160' }])
    const id = String(lead?.['id'])
    await sync()
    await client.updateLead(id, { Phone: '4155550161' })
    harness.sim.setFaults({ status500Rate: 1 })
    await expect(deliver(event('Leads', 'update', [id]))).rejects.toThrow()
    expect(await cache.get('+14155550160')).toMatchObject({ id })
    harness.sim.setFaults({ status500Rate: 0 })

    const before = requests()
    await deliver(event('Leads', 'update', [id], [{ [id]: { Lead_Status: 'Contacted' } }]))
    expect(requests()).toBe(before)
  })
})
