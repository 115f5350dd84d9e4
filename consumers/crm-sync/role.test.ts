import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { startZohoHarness } from '../../integrations/zoho/testing.ts'
import { createEmbeddedBus } from '../../platform/bus/embedded.ts'
import { loadConfig } from '../../platform/config/load.ts'
import { createPgliteDb } from '../../platform/db/pglite.ts'
import { testRoleContext } from '../../platform/runtime/testing.ts'
import { simZohoEnv } from '../../simulators/zoho/testing.ts'
import { waitFor } from '../../test/wait-for.ts'
import { createPhoneCache } from '../lead-matcher/phone-cache.ts'
import { readMarker } from './directory-marks.ts'
import { crmSyncRole } from './role.ts'

describe('crmSyncRole', () => {
  it('syncs the phone directory from Zoho on start when none is complete, with the configured interval', async () => {
    const zoho = await startZohoHarness()
    const bus = createEmbeddedBus({ path: ':memory:', pollIntervalMs: 10 })
    const db = await createPgliteDb({})
    const dir = mkdtempSync(path.join(os.tmpdir(), 'callbridge-crm-sync-'))
    const [contact] = zoho.sim.seed('Contacts', [{ Last_Name: 'Known', Mobile: '(415) 555-0177' }])
    const { config } = loadConfig({
      env: {
        DATA_DIR: dir,
        ...simZohoEnv(zoho.url),
        DIRECTORY_SYNC_INTERVAL_S: '3600',
      },
      cwd: dir,
      require: crmSyncRole.requires,
    })
    const running = await crmSyncRole.start(testRoleContext({ config, bus, kv: zoho.kv, db }))
    try {
      const marker = await waitFor(() => readMarker(zoho.kv), { what: 'the first full sync' })
      expect(marker).toMatchObject({ contacts: 1, numbers: 1 })
      expect(marker.freshUntil - marker.completedAt).toBe(3600_000 + 15 * 60_000)
      const cache = createPhoneCache({ kv: zoho.kv })
      expect(await cache.get('+14155550177')).toMatchObject({ id: contact?.['id'] })
    } finally {
      await running.stop()
      await bus.close()
      await db.close()
      await zoho.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
