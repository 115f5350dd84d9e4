/**
 * @module consumers/runtime/replay
 * Operator tools on `<topic>.dlq`: list the parked entries, and replay them (all, or by event id)
 * to their original topic with their original key, value and headers. A replayed message starts
 * again at attempt 1 and carries `x-replay-for: <consumer>`, so only the consumer that parked it
 * handles it; the topic's other consumers skip it. The DLQ itself is left as it is (a log).
 */
import type { Bus } from '../../platform/bus/port.ts'
import { dlqTopicOf } from './definition.ts'
import { type DlqRecord, readDlq } from './dlq-reader.ts'
import { type DlqEntry, type DlqReason, decodeValue } from './dlq-schema.ts'
import { originalHeaders, runtimeHeaders } from './headers.ts'

/** One line of `dlq list`. */
export interface DlqSummary {
  /** The event id (`ce_id`), or null when the event had none. */
  readonly id: string | null
  readonly consumer: string
  readonly reason: DlqReason
  /** The last error's message. */
  readonly error: string
  readonly attempts: number
  readonly parkedAt: string
  readonly key: string | null
  /** Where the entry is on `<topic>.dlq`. */
  readonly partition: number
  readonly offset: string
}

export interface DlqListing {
  readonly entries: readonly DlqSummary[]
  /** Messages on the DLQ that are not entries of this runtime. */
  readonly malformed: number
}

export interface ListDlqOptions {
  readonly bus: Bus
  /** The original topic (`<topic>.dlq` is read). */
  readonly topic: string
  /** Only the entries parked by this consumer. */
  readonly consumer?: string
  readonly timeoutMs?: number
}

const idOf = (entry: DlqEntry): string | null => entry.original.headers['ce_id'] ?? null

/** Summarises the entries of `<topic>.dlq`, oldest first per partition. */
export const listDlq = async ({
  bus,
  topic,
  consumer,
  timeoutMs,
}: ListDlqOptions): Promise<DlqListing> => {
  const entries: DlqSummary[] = []
  let malformed = 0
  await readDlq({
    bus,
    topic,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    visit: (record) => {
      if (!record.ok) malformed++
      else if (consumer === undefined || record.entry.consumer === consumer) {
        const { entry, partition, offset } = record
        entries.push({
          id: idOf(entry),
          consumer: entry.consumer,
          reason: entry.reason,
          error: entry.error.message,
          attempts: entry.attempts,
          parkedAt: entry.parkedAt,
          key: entry.original.key,
          partition,
          offset,
        })
      }
    },
  })
  return { entries, malformed }
}

/** How far a replay is; `total` counts every DLQ entry to read, matching or not. */
export interface ReplayProgress {
  readonly total: number
  readonly scanned: number
  readonly replayed: number
}

export interface ReplayResult extends ReplayProgress {
  readonly malformed: number
  /** Requested ids that no entry had. */
  readonly missingIds: readonly string[]
}

export interface ReplayDlqOptions extends ListDlqOptions {
  /** Only the entries of these event ids (`ce_id`); all entries when absent or empty. */
  readonly ids?: readonly string[]
  /** Called after each entry read (and once before the first, with scanned 0). */
  readonly onProgress?: (progress: ReplayProgress) => void
}

/** Republishes the matching entries of `<topic>.dlq` to their original topic. */
export const replayDlq = async ({
  bus,
  topic,
  ids,
  consumer,
  onProgress,
  timeoutMs,
}: ReplayDlqOptions): Promise<ReplayResult> => {
  const wanted = ids && ids.length > 0 ? new Set(ids) : undefined
  const found = new Set<string>()
  const progress = { total: 0, scanned: 0, replayed: 0 }
  let malformed = 0
  const matches = (record: DlqRecord): record is DlqRecord & { ok: true } => {
    if (!record.ok) return false
    const id = idOf(record.entry)
    if (consumer !== undefined && record.entry.consumer !== consumer) return false
    return !wanted || (id !== null && wanted.has(id))
  }
  await readDlq({
    bus,
    topic,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    onTotal: (total) => {
      progress.total = total
      onProgress?.({ ...progress })
    },
    visit: async (record) => {
      if (!record.ok) malformed++
      if (matches(record)) {
        const { entry, partition, offset } = record
        const { original } = entry
        await bus.publish(original.topic, [
          {
            key: original.key ?? '',
            value: decodeValue(original),
            headers: {
              ...originalHeaders(original.headers),
              [runtimeHeaders.replayFor]: entry.consumer,
              [runtimeHeaders.replayOf]: `${dlqTopicOf(topic)}/${partition}/${offset}`,
            },
          },
        ])
        const id = idOf(entry)
        if (id !== null) found.add(id)
        progress.replayed++
      }
      progress.scanned++
      onProgress?.({ ...progress })
    },
  })
  const missingIds = [...(wanted ?? [])].filter((id) => !found.has(id))
  return { ...progress, malformed, missingIds }
}
