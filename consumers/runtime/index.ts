/**
 * @module consumers/runtime
 * The runtime every pipeline consumer runs on: retries on `<topic>.retry` without blocking the
 * partition, a DLQ on `<topic>.dlq` with replay, per-key order with bounded concurrency across
 * keys, metrics, correlated logs and graceful shutdown. See README.md.
 */
export type { BackoffPolicy } from './backoff.ts'
export { retryDelayMs } from './backoff.ts'
export type {
  BackoffOptions,
  ConsumerDefinition,
  ConsumerNames,
  ConsumerPolicy,
  HandlerContext,
} from './definition.ts'
export {
  consumerDefaults,
  consumerNames,
  dlqTopicOf,
  PermanentError,
  retryTopicOf,
} from './definition.ts'
export type { DlqRecord, ReadDlqOptions } from './dlq-reader.ts'
export { readDlq } from './dlq-reader.ts'
export { DlqEntry, DlqError, DlqHeaders, DlqOriginal, DlqReason } from './dlq-schema.ts'
export { originalHeaders, runtimeHeaders } from './headers.ts'
export type { ConsumerOutcome } from './metrics.ts'
export type {
  DlqListing,
  DlqSummary,
  ListDlqOptions,
  ReplayDlqOptions,
  ReplayProgress,
  ReplayResult,
} from './replay.ts'
export { listDlq, replayDlq } from './replay.ts'
export type { RunningConsumer, StartConsumerOptions } from './start.ts'
export { startConsumer } from './start.ts'
