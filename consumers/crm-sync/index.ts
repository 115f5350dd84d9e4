/**
 * @module consumers/crm-sync
 * `zoho.webhooks` + full syncs → the phone directory of the CRM that the lead-matcher matches
 * callers with. See README.md.
 */
export type { CacheChange, CacheChanges } from './changes.ts'
export { cacheChangesOf } from './changes.ts'
export type { CrmSyncPolicy } from './consumer.ts'
export { crmSyncConsumer, crmSyncName } from './consumer.ts'
export type { DirectoryAction } from './directory-changes.ts'
export { directoryActionOf } from './directory-changes.ts'
export type { DirectoryJobOptions } from './directory-job.ts'
export {
  defaultDirectorySyncIntervalS,
  startDirectoryJob,
  syncDirectoryOnce,
  syncDue,
} from './directory-job.ts'
export type { DirectoryMarker, DirectoryProgress, DirectoryTimings } from './directory-marks.ts'
export { directoryTimings, isFresh, readMarker, readProgress } from './directory-marks.ts'
export type { DirectorySyncOptions, DirectorySyncResult } from './directory-sync.ts'
export { syncDirectory } from './directory-sync.ts'
export type { CrmSyncPorts } from './handler.ts'
export { createCrmSyncHandler } from './handler.ts'
export type { CrmSyncMetrics } from './metrics.ts'
export { crmSyncMetrics } from './metrics.ts'
export { crmSyncRole } from './role.ts'
