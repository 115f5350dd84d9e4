/**
 * @module gateway/spool
 * Durable local spool for events Kafka could not take in time, and the drainer that replays it to
 * Kafka in order. See spool.ts and drainer.ts for the invariants.
 */
export type { Drainer, DrainerMessage, DrainerOptions } from './drainer.ts'
export { startDrainer } from './drainer.ts'
export type { SpoolOptions } from './spool.ts'
export { DEFAULT_SEGMENT_BYTES, openSpool } from './spool.ts'
export type {
  Spool,
  SpoolInput,
  SpoolRecord,
  SpoolRecovery,
  SpoolStats,
  SyncKind,
} from './types.ts'
