/**
 * @module consumers/crm-sync/role
 * The `crm-sync` role: keeps the phone directory of the CRM that the lead-matcher matches callers
 * with. With Zoho credentials (and LEAD_MATCH_DIRECTORY not `off`): a full sync of every lead and
 * contact on start when none completed yet and every DIRECTORY_SYNC_INTERVAL_S (one replica at a
 * time), and Zoho's change notifications on `zoho.webhooks` read back by id and written. Without
 * them: notifications only evict cached numbers (nothing is read from Zoho).
 */
import { zohoFromConfig } from '../../integrations/from-config.ts'
import { createZohoCrm } from '../../integrations/zoho/index.ts'
import type { Role } from '../../platform/runtime/role.ts'
import { createPhoneCache } from '../lead-matcher/phone-cache.ts'
import { startConsumer } from '../runtime/index.ts'
import { crmSyncConsumer, crmSyncName } from './consumer.ts'
import { startDirectoryJob } from './directory-job.ts'
import { directoryTimings } from './directory-marks.ts'
import { crmSyncMetrics } from './metrics.ts'

/**
 * The `crm-sync` role.
 * @example
 * ```ts
 * await runRoles({ roles: [crmSyncRole], config, logger, version })
 * ```
 */
export const crmSyncRole: Role = {
  name: crmSyncName,
  summary:
    'keeps the phone directory of Zoho leads and contacts for the lead-matcher: full syncs and change notifications (without Zoho credentials: evicts changed numbers only)',
  requires: [],
  start: async ({ config, logger, bus, kv, health, metrics: registry }) => {
    const metrics = crmSyncMetrics(registry)
    const zoho =
      config.LEAD_MATCH_DIRECTORY === 'off' ? undefined : zohoFromConfig(config, kv, logger)
    if (!zoho) {
      logger.warn(
        config.LEAD_MATCH_DIRECTORY === 'off'
          ? 'phone directory off (LEAD_MATCH_DIRECTORY=off): notifications only evict cached numbers'
          : 'no Zoho credentials: no phone directory, notifications only evict cached numbers',
      )
    }
    const crm = zoho ? createZohoCrm(zoho) : undefined
    const timings = directoryTimings(config.DIRECTORY_SYNC_INTERVAL_S * 1000)
    health.add({ name: crmSyncName, check: () => bus.health.check() })
    if (crm) health.add(crm.health, { readiness: false })
    const consumer = await startConsumer({
      bus,
      definition: crmSyncConsumer({
        cache: createPhoneCache({ kv }),
        region: config.ZOHO_PHONE_REGION,
        metrics,
        ...(crm ? { directory: { crm, kv, timings } } : {}),
      }),
      logger,
      metrics: registry,
    })
    const job = crm
      ? startDirectoryJob({
          crm,
          kv,
          timings,
          metrics,
          logger: logger.child({ component: 'phone-directory' }),
        })
      : undefined
    return {
      // Together: the sync stops at its next step (at most one Zoho page), handlers finish.
      stop: async () => {
        await Promise.all([job?.stop(), consumer.stop()])
      },
    }
  },
}
