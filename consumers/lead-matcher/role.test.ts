import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { startZohoHarness, type ZohoHarness } from '../../integrations/zoho/testing.ts'
import { createEmbeddedBus } from '../../platform/bus/embedded.ts'
import type { Bus } from '../../platform/bus/port.ts'
import { loadConfig } from '../../platform/config/load.ts'
import { createPgliteDb } from '../../platform/db/pglite.ts'
import type { Db } from '../../platform/db/port.ts'
import { createHealthRegistry } from '../../platform/health/routes.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { createMetricsRegistry } from '../../platform/metrics/registry.ts'
import type { RunningRole } from '../../platform/runtime/role.ts'
import { CallMatched, callTopics } from '../../schemas/calls.ts'
import { simZohoEnv } from '../../simulators/zoho/testing.ts'
import { waitFor } from '../../test/wait-for.ts'
import { publishEvent } from '../shared/publish.ts'
import { leadMatcherRole } from './role.ts'
import { completedCall, spyOn } from './testing.ts'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const step of cleanup.reverse()) await step()
  cleanup.length = 0
})

describe('leadMatcherRole', () => {
  it('runs on the configuration: a call from a known contact is logged and calls.matched published', async () => {
    const zoho: ZohoHarness = await startZohoHarness()
    const bus: Bus = createEmbeddedBus({ path: ':memory:', pollIntervalMs: 10 })
    const db: Db = await createPgliteDb({})
    await db.migrate()
    cleanup.push(
      () => zoho.close(),
      () => bus.close(),
      () => db.close(),
    )
    const dir = mkdtempSync(path.join(os.tmpdir(), 'callbridge-lm-'))
    const { config } = loadConfig({
      env: {
        DATA_DIR: dir,
        ...simZohoEnv(zoho.url),
      },
      cwd: dir,
      require: leadMatcherRole.requires,
    })
    const health = createHealthRegistry()
    const logger = createLogger({
      service: 'test',
      environment: 'test',
      version: 'test',
      level: 'silent',
    })
    const [contact] = zoho.sim.seed('Contacts', [{ Last_Name: 'Role', Phone: '+14155550120' }])
    const matched = await spyOn(bus, callTopics.callsMatched.name)

    const running: RunningRole = await leadMatcherRole.start({
      config,
      logger,
      bus,
      kv: zoho.kv,
      db,
      health,
      metrics: createMetricsRegistry({ defaults: false }),
      http: new Hono(),
    })
    cleanup.push(() => running.stop())
    const call = completedCall('+14155550120')
    await publishEvent(bus, {
      topic: callTopics.callsCompleted.name,
      key: call.telephonySessionId,
      id: `call:${call.telephonySessionId}`,
      type: 'callbridge.call.completed',
      source: '/callbridge/call-tracker',
      value: call,
    })

    const [message] = await waitFor(() => (matched.length > 0 ? matched : undefined), {
      what: 'calls.matched',
    })
    expect(message?.headers).toMatchObject({
      ce_id: `matched:${call.telephonySessionId}`,
      ce_type: 'callbridge.call.matched',
      ce_source: '/callbridge/lead-matcher',
    })
    expect(message?.key).toBe(call.telephonySessionId)
    const event = CallMatched.parse(JSON.parse(message?.value.toString('utf8') ?? 'null'))
    expect(event.person).toMatchObject({ module: 'Contacts', id: contact?.['id'] })
    expect(zoho.sim.state.records('Calls')).toHaveLength(1)
    expect(Object.keys(await health.run('all'))).toEqual(
      expect.arrayContaining(['lead-matcher', 'zoho-token']),
    )
  })
})
