/**
 * @module consumers/crm-sync
 * `zoho.webhooks` → the lead-matcher's phone cache kept current (evictions). See README.md.
 */
export type { CacheChange, CacheChanges } from './changes.ts'
export { cacheChangesOf } from './changes.ts'
export type { CrmSyncPolicy } from './consumer.ts'
export { crmSyncConsumer, crmSyncName } from './consumer.ts'
export type { CrmSyncMetrics, CrmSyncPorts } from './handler.ts'
export { createCrmSyncHandler, crmSyncMetrics } from './handler.ts'
export { crmSyncRole } from './role.ts'
