import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createZohoCrm } from '../../integrations/zoho/crm.ts'
import { useZohoHarness } from '../../integrations/zoho/harness-hook.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { waitFor } from '../../test/wait-for.ts'
import { startDirectoryJob, syncDue } from './directory-job.ts'
import { directoryTimings, readMarker } from './directory-marks.ts'
import { crmSyncMetrics } from './metrics.ts'

const hour = 60 * 60 * 1000
const logger = createLogger({ service: 'test', environment: 'test', version: 't', level: 'silent' })

describe('scheduled full sync of the phone directory', () => {
  const startHarness = useZohoHarness()

  it('syncs at once when no sync completed yet, then only when the last one is an interval old', async () => {
    const harness = await startHarness()
    const { kv } = harness
    harness.sim.seed('Leads', [{ Last_Name: 'Lead', Phone: '4155550100' }])
    const registry = new Registry()
    const job = startDirectoryJob({
      crm: createZohoCrm(harness.client()),
      kv,
      timings: directoryTimings(6 * hour),
      logger,
      metrics: crmSyncMetrics(registry),
    })
    try {
      const completed = async () =>
        (
          await registry.getSingleMetric('callbridge_crm_sync_directory_syncs_total')?.get()
        )?.values.find((v) => v.labels['outcome'] === 'complete' && v.value === 1)
      await waitFor(completed, { what: 'the first full sync' })
      const marker = await readMarker(kv)
      if (!marker) throw new Error('no marker after a complete sync')
      expect(marker).toMatchObject({ leads: 1, numbers: 1 })
      expect(await syncDue(kv, 6 * hour, marker.completedAt + 6 * hour - 1)).toBe(false)
      expect(await syncDue(kv, 6 * hour, marker.completedAt + 6 * hour)).toBe(true)
      expect(await job.runNow()).toBe(true)
      expect(await readMarker(kv)).toEqual(marker)
    } finally {
      await job.stop()
    }
  })

  it('interrupts a running sync on stop instead of waiting for it, leaving no marker', async () => {
    const harness = await startHarness({ latencyMs: 200 })
    const { kv } = harness
    harness.sim.seed(
      'Leads',
      Array.from({ length: 1000 }, (_, i) => ({ Last_Name: `L${i}`, Phone: `415555${1000 + i}` })),
    )
    const job = startDirectoryJob({
      crm: createZohoCrm(harness.client()),
      kv,
      timings: directoryTimings(6 * hour),
      logger,
    })
    await waitFor(() => harness?.sim.stats().requests, { what: 'the first page request' })
    await job.stop()
    expect(await readMarker(kv)).toBeNull()
    expect(harness.sim.stats().requests).toBeLessThan(5)
  })
})
