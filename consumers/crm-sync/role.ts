/**
 * @module consumers/crm-sync/role
 * The `crm-sync` role: keeps the lead-matcher's phone cache current from Zoho's change
 * notifications on `zoho.webhooks`. It needs only the kv (no Zoho credentials: nothing is read
 * back from Zoho, entries are evicted).
 */
import type { Role } from '../../platform/runtime/role.ts'
import { createPhoneCache } from '../lead-matcher/phone-cache.ts'
import { startConsumer } from '../runtime/index.ts'
import { crmSyncConsumer, crmSyncName } from './consumer.ts'
import { crmSyncMetrics } from './handler.ts'

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
    "keeps the lead-matcher's phone cache current: evicts numbers of Zoho leads and contacts that changed or were deleted",
  requires: [],
  start: async ({ config, logger, bus, kv, health, metrics: registry }) => {
    health.add({ name: crmSyncName, check: () => bus.health.check() })
    const consumer = await startConsumer({
      bus,
      definition: crmSyncConsumer({
        cache: createPhoneCache({ kv }),
        region: config.ZOHO_PHONE_REGION,
        metrics: crmSyncMetrics(registry),
      }),
      logger,
      metrics: registry,
    })
    return { stop: () => consumer.stop() }
  },
}
