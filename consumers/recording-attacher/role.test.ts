import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { simCredentials as rcCredentials } from '../../integrations/ringcentral/test-support.ts'
import { startZohoHarness } from '../../integrations/zoho/testing.ts'
import { createEmbeddedBus } from '../../platform/bus/embedded.ts'
import { loadConfig } from '../../platform/config/load.ts'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { testRoleContext } from '../../platform/runtime/testing.ts'
import { startRingCentralSimulator } from '../../simulators/ringcentral/index.ts'
import { simCredentials as zohoCredentials } from '../../simulators/zoho/testing.ts'
import { waitFor } from '../../test/wait-for.ts'
import { publishEvent } from '../shared/publish.ts'
import { recordingAttacherRole } from './role.ts'
import { contentUriOf, matchedEvent, openDb } from './test-support.ts'

const closers: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

describe('recording-attacher role', () => {
  it('starts from the configuration, attaches a recording through the configured clients, and stops', async () => {
    const rc = await startRingCentralSimulator({ callLogDelayMs: 0, recordingDelayMs: 0 })
    closers.push(rc.close)
    const zoho = await startZohoHarness()
    closers.push(zoho.close)
    const cwd = await mkdtemp(path.join(tmpdir(), 'attacher-role-'))
    closers.push(() => rm(cwd, { recursive: true, force: true }))
    const { config } = loadConfig({
      cwd,
      env: {
        RINGCENTRAL_SERVER_URL: rc.url,
        RINGCENTRAL_CLIENT_ID: rcCredentials.clientId,
        RINGCENTRAL_CLIENT_SECRET: rcCredentials.clientSecret,
        RINGCENTRAL_JWT: rcCredentials.jwt,
        ZOHO_ACCOUNTS_URL: zoho.url,
        ZOHO_CLIENT_ID: zohoCredentials.clientId,
        ZOHO_CLIENT_SECRET: zohoCredentials.clientSecret,
        ZOHO_REFRESH_TOKEN: zohoCredentials.refreshToken,
      },
      require: recordingAttacherRole.requires,
    })
    const db = await openDb()
    const bus = createEmbeddedBus({ path: ':memory:', pollIntervalMs: 10 })
    const kv = createMemoryKv()
    closers.push(async () => {
      await bus.close()
      await Promise.all([db.close(), kv.close()])
    })
    const running = await recordingAttacherRole.start(testRoleContext({ config, bus, kv, db }))
    const call = await rc.sim.placeCall({
      direction: 'Inbound',
      from: '+14155550100',
      to: '+16505550111',
      result: 'answered',
      recording: true,
    })
    const recordingId = call.recordingId ?? ''
    const { id: leadId } = await zoho
      .client()
      .createLead({ lastName: 'Caller', phone: '+14155550100' })
    const event = matchedEvent(
      {
        telephonySessionId: call.telephonySessionId,
        recordingId,
        contentUri: contentUriOf(rc, recordingId),
      },
      { module: 'Leads', id: leadId },
    )
    await publishEvent(bus, {
      topic: 'calls.matched',
      key: call.telephonySessionId,
      id: `matched:${call.telephonySessionId}`,
      type: 'callbridge.call.matched',
      source: '/callbridge/lead-matcher',
      value: event,
    })
    await waitFor(() => zoho.sim.state.attachments().length === 1, { what: 'the attachment' })
    await running.stop()
    expect(zoho.sim.state.attachments()[0]).toMatchObject({ recordId: leadId, size: 65_536 })
  })
})
