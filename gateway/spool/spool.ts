/**
 * @module gateway/spool/spool
 * The local spool: where an event goes when Kafka cannot take it within the budget, so the webhook
 * can still be answered 2xx. Layout of `dir` (one process per directory):
 *
 * - `spool-<seq>.log`: append-only segments of CRC-checked frames (see record-codec), rolled at
 *   `segmentBytes`;
 * - `cursor.json`: the oldest unacked position, replaced atomically on every ack.
 *
 * Invariants: an append resolves only once fsynced; records are replayed in append order; an ack
 * is durable before it resolves and fully-acked segments are then deleted; opening never throws
 * over bad data (torn or corrupt tails are truncated and reported through `onRecovery`).
 */
import { rm } from 'node:fs/promises'
import { createAppendWriter } from './append-writer.ts'
import type { Cursor } from './cursor-file.ts'
import { writeCursor } from './cursor-file.ts'
import { encodeRecord } from './record-codec.ts'
import { recoverSpool } from './recover.ts'
import { segmentPath, syncDirectory } from './segment-file.ts'
import type { HeadFrame } from './spool-reader.ts'
import { readHead } from './spool-reader.ts'
import type { Spool, SpoolRecord, SpoolRecovery, SyncKind } from './types.ts'

export interface SpoolOptions {
  /** Directory of the spool; created if missing. Must not be shared by two live processes. */
  readonly dir: string
  /** Size at which a segment is closed and a new one started (a bigger record gets its own). */
  readonly segmentBytes?: number
  /** Clock stamping `spooledAt`. Default `Date.now`. */
  readonly now?: () => number
  /** Observes every fsync (for metrics and tests: group commit keeps `segment` syncs few). */
  readonly onSync?: (kind: SyncKind) => void
  /** Told about invalid data dropped at open (a torn tail after a crash, an unreadable cursor). */
  readonly onRecovery?: (info: SpoolRecovery) => void
}

/** Default segment size: 64 MiB. */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024

/**
 * Opens (or creates) the spool in `options.dir`, validating what is on disk: records from the
 * cursor on are CRC-checked, a torn or corrupt tail is truncated, stats are rebuilt.
 */
export const openSpool = async (options: SpoolOptions): Promise<Spool> => {
  const { dir, segmentBytes = DEFAULT_SEGMENT_BYTES, now = Date.now } = options
  if (!(segmentBytes > 0)) throw new RangeError('segmentBytes must be positive')
  const onSync = options.onSync ?? (() => {})
  const state = await recoverSpool(dir, options.onRecovery ?? (() => {}), onSync)
  const writer = createAppendWriter(state, segmentBytes, onSync)
  /** Frames returned by the last peek and not acked yet, with their segment. */
  let peeked: HeadFrame[] = []
  let closing: Promise<void> | null = null
  let lock: Promise<unknown> = Promise.resolve()

  /** Runs reader operations (peek, ack) one at a time; close waits for those already called. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    if (closing) return Promise.reject(new Error('spool is closed'))
    const result = lock.then(work)
    lock = result.catch(() => {})
    return result
  }

  const peekLocked = async (max: number) => {
    peeked = await readHead(state, max)
    return peeked.map((frame) => frame.record)
  }

  /** Moves a cursor at the end of a sealed segment to the start of the next one. */
  const normalize = (cursor: Cursor): Cursor => {
    const index = state.segments.findIndex((s) => s.seq === cursor.segment)
    const segment = state.segments[index]
    const next = state.segments[index + 1]
    if (segment && next && cursor.offset >= segment.size)
      return normalize({ segment: next.seq, offset: 0 })
    return cursor
  }

  const deleteAckedSegments = async () => {
    let deleted = false
    for (const segment of state.segments.filter((s) => s.seq < state.head.segment)) {
      try {
        await rm(segmentPath(dir, segment.seq), { force: true })
        state.segments.splice(state.segments.indexOf(segment), 1)
        deleted = true
      } catch {
        // The cursor already says it is acked: it is retried on the next ack, or removed at open.
      }
    }
    if (deleted)
      await syncDirectory(dir).then(
        () => onSync('directory'),
        () => {},
      )
  }

  const ackLocked = async (n: number) => {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot ack ${n} records`)
    if (n === 0) return
    if (n > peeked.length)
      throw new RangeError(`cannot ack ${n} records: only ${peeked.length} peeked`)
    const acked = peeked.slice(0, n)
    const last = acked[n - 1] as HeadFrame
    const cursor = normalize({ segment: last.seq, offset: last.offset + last.size })
    await writeCursor(dir, cursor, onSync)
    state.head = cursor
    peeked = peeked.slice(n)
    state.records -= n
    state.bytes -= acked.reduce((sum, frame) => sum + frame.size, 0)
    state.oldestSpooledAt = peeked[0]?.record.spooledAt ?? null
    if (state.records > 0 && peeked.length === 0) {
      state.oldestSpooledAt = last.record.spooledAt // a lower bound if the next read fails
      const [next] = await peekLocked(1).catch(() => [])
      if (next) state.oldestSpooledAt = next.spooledAt
    }
    await deleteAckedSegments()
  }

  return {
    append: async (records) => {
      if (closing) throw new Error('spool is closed')
      if (records.length === 0) return
      const spooledAt = now()
      const frames = records.map((r) => encodeRecord({ ...r, spooledAt } satisfies SpoolRecord))
      await writer.write(frames, spooledAt)
    },
    stats: () => ({
      records: state.records,
      bytes: state.bytes,
      oldestSpooledAt: state.oldestSpooledAt,
    }),
    peek: (max) => {
      if (!(max >= 0)) return Promise.reject(new RangeError(`cannot peek ${max} records`))
      return exclusive(() => peekLocked(Math.floor(max)))
    },
    ack: (n) => exclusive(() => ackLocked(n)),
    close: () => {
      closing ??= (async () => {
        await lock
        await writer.close()
      })()
      return closing
    },
  }
}
