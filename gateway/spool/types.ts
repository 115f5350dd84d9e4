/**
 * @module gateway/spool/types
 * The spool's public shapes. A spool is a durable FIFO of events that could not be handed to Kafka
 * in time: `append` makes records durable (fsynced), `peek`/`ack` let exactly one drainer replay
 * them in append order and forget only what Kafka acknowledged.
 */

/** One spooled event: everything needed to publish it to Kafka later, unchanged. */
export interface SpoolRecord {
  readonly topic: string
  readonly key: string
  readonly value: string
  readonly headers: Readonly<Record<string, string>>
  /** When the record was appended (ms since the epoch, from the spool's clock). */
  readonly spooledAt: number
}

/** A record as given to {@link Spool.append}: the spool stamps `spooledAt` itself. */
export type SpoolInput = Omit<SpoolRecord, 'spooledAt'>

/** What the spool holds that is durable and not yet acknowledged. */
export interface SpoolStats {
  /** Records appended (fsynced) and not yet acked. */
  readonly records: number
  /** On-disk size of those records (frames including their headers). */
  readonly bytes: number
  /** `spooledAt` of the oldest not-yet-acked record, or null when the spool is empty. */
  readonly oldestSpooledAt: number | null
}

/**
 * A durable, ordered spool. Invariants:
 * - `append` resolves only after its records are written and fsynced; a rejected append may or
 *   may not have persisted its records (at-least-once), but never breaks the ones before or after.
 * - Records are replayed in append order; `ack` persists progress atomically, so a restart never
 *   replays acked records and never skips unacked ones.
 * - `peek`/`ack` are meant for one consumer (the drainer); they may run concurrently with appends.
 */
export interface Spool {
  /**
   * Appends in order and resolves only after the data is fsynced. Concurrent calls are serialised
   * and grouped: all records waiting when a write starts share one write + fsync.
   */
  append(records: readonly SpoolInput[]): Promise<void>
  /** Durable, not-yet-acked content. Synchronous and cheap (kept in memory). */
  stats(): SpoolStats
  /** The oldest not-yet-acknowledged records, in append order, up to `max`. */
  peek(max: number): Promise<readonly SpoolRecord[]>
  /**
   * Marks the first `n` records returned by the last `peek` as delivered, durably: a restart does
   * not replay them. `n` may not exceed the number of peeked, not-yet-acked records.
   */
  ack(n: number): Promise<void>
  /** Waits for appends in progress, then releases the files. Later calls reject. Idempotent. */
  close(): Promise<void>
}

/** Which fsync happened: segment data, a directory entry, or the ack cursor. */
export type SyncKind = 'segment' | 'directory' | 'cursor'

/** Something found on disk that was not a valid record and was dropped at open. */
export interface SpoolRecovery {
  readonly file: string
  /** Where the invalid data starts; the file is truncated here. */
  readonly offset: number
  /** Bytes dropped. */
  readonly droppedBytes: number
  readonly reason: string
}
