import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../platform/config/load.ts'
import { testRoleContext } from '../../platform/runtime/testing.ts'
import { useMigratedPglite } from '../../test/pglite-ledger.ts'
import { callTrackerRole, createCallTrackerRole, reconcileIntervalS } from './role.ts'
import { inbound, openCallTrackerFixture } from './test-support.ts'

const db = useMigratedPglite()

describe('call-tracker role', () => {
  it('declares its name and the RingCentral credentials it needs', () => {
    expect(callTrackerRole.name).toBe('call-tracker')
    expect(callTrackerRole.requires).toEqual([
      'RINGCENTRAL_CLIENT_ID',
      'RINGCENTRAL_CLIENT_SECRET',
      'RINGCENTRAL_JWT',
    ])
  })

  it('runs the consumer and the reconciler until stopped', async () => {
    const f = await openCallTrackerFixture({ db: db() })
    const dir = mkdtempSync(path.join(os.tmpdir(), 'callbridge-call-tracker-'))
    try {
      const { config } = loadConfig({
        env: {
          DATA_DIR: dir,
          LOG_LEVEL: 'silent',
          RINGCENTRAL_SERVER_URL: f.url,
          RINGCENTRAL_CLIENT_ID: 'sim-rc-client-id',
          RINGCENTRAL_CLIENT_SECRET: 'sim-rc-client-secret',
          RINGCENTRAL_JWT: 'sim-rc-jwt-credential',
        },
        cwd: dir,
        require: callTrackerRole.requires,
      })
      expect(reconcileIntervalS(config)).toBe(300)
      const lost = await f.sim.placeCall({ ...inbound, result: 'missed', faults: { drop: 1 } })
      await f.until(
        () => f.sim.state.callLog.some((e) => Date.parse(e.availableAt) <= Date.now()),
        'the lost call in the call log',
      )
      const role = createCallTrackerRole({
        backoff: { baseMs: 100, maxMs: 100 },
        reconcileIntervalMs: 60_000,
        settleMs: 0,
      })
      const running = await role.start(
        testRoleContext({ config, logger: f.logger, bus: f.bus, kv: f.kv, db: db() }),
      )
      try {
        const seen = await f.sim.placeCall({ ...inbound, result: 'answered' })
        await f.until(() => f.completed.length === 2, 'both calls')
        await f.drained()
        expect(
          Object.fromEntries(f.completedCalls().map((c) => [c.telephonySessionId, c.source])),
        ).toEqual({ [lost.telephonySessionId]: 'reconciler', [seen.telephonySessionId]: 'webhook' })
      } finally {
        await running.stop()
      }
    } finally {
      await f.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
