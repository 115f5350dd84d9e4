import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmbeddedBus } from '../../platform/bus/embedded.ts'
import { loadConfig } from '../../platform/config/load.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { type RunningProcess, runRoles } from '../../platform/runtime/run.ts'
import { startRingCentralSimulator } from '../../simulators/ringcentral/index.ts'
import { freePort } from '../../test/free-port.ts'
import { waitFor } from '../../test/wait-for.ts'
import { gatewayRole } from '../role.ts'

// keeper → RingCentral simulator → validation handshake against the running gateway →
// deliveries accepted and published: the whole subscription path, with real parts only.
describe('RingCentral subscription kept by the gateway', () => {
  let sim: Awaited<ReturnType<typeof startRingCentralSimulator>>
  let gateway: RunningProcess
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'callbridge-e2e-'))

  beforeAll(async () => {
    sim = await startRingCentralSimulator({ callLogDelayMs: 0 })
    const port = await freePort()
    const { config } = loadConfig({
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        RINGCENTRAL_SERVER_URL: sim.url,
        RINGCENTRAL_CLIENT_ID: 'sim-rc-client-id',
        RINGCENTRAL_CLIENT_SECRET: 'sim-rc-client-secret',
        RINGCENTRAL_JWT: 'sim-rc-jwt-credential',
        RINGCENTRAL_WEBHOOK_TOKEN: 'e2e-verification-token-current',
        LOG_LEVEL: 'silent',
      },
      cwd: dataDir,
      require: gatewayRole.requires,
    })
    const logger = createLogger({
      service: 'callbridge',
      environment: 'test',
      version: 'test',
      level: 'silent',
    })
    gateway = await runRoles({ roles: [gatewayRole], config, logger, version: 'test' })
  })
  afterAll(async () => {
    await gateway?.stop()
    await sim?.close()
  })

  it('creates the subscription through the validation handshake and publishes the deliveries of a call', async () => {
    const subscription = await waitFor(
      () =>
        sim.sim.state.subscriptions.find(
          (s) => s.status === 'Active' && s.address.endsWith('/webhooks/ringcentral'),
        ),
      { what: 'the keeper to create an Active subscription' },
    )
    expect(subscription.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/ringcentral$/)

    const call = await sim.sim.placeCall({
      direction: 'Inbound',
      from: '+14155550100',
      to: '+16505550111',
      result: 'answered',
      durationS: 42,
    })
    await sim.sim.flush()
    const deliveries = sim.sim.state.deliveries.filter((d) => d.subscriptionId === subscription.id)
    expect(deliveries.length).toBeGreaterThanOrEqual(call.events.length)
    expect(deliveries.every((d) => d.status === 200)).toBe(true)

    // Stop the gateway so its embedded log can be read here, then look at what it published.
    await gateway.stop()
    const bus = createEmbeddedBus({ path: path.join(dataDir, 'events.sqlite') })
    const sessions: string[] = []
    const reader = await bus.subscribe({
      groupId: 'e2e-reader',
      topics: ['ringcentral.webhooks'],
      handler: async (message) => {
        sessions.push(String(message.key))
      },
    })
    await waitFor(() => sessions.length >= call.events.length, {
      what: 'the call events in the log',
    })
    expect(new Set(sessions)).toEqual(new Set([call.telephonySessionId]))
    await reader.stop()
    await bus.close()
  })
})
