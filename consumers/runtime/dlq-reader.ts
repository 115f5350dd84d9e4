/**
 * @module consumers/runtime/dlq-reader
 * Reads `<topic>.dlq` from the beginning up to its end as it was when the read started (entries
 * parked meanwhile are left for the next read), in a throwaway consumer group
 * `callbridge.dlq-reader.<uuid>`. Needs `bus.lag` to know where the end is.
 */
import { randomUUID } from 'node:crypto'
import type { Bus, BusMessage } from '../../platform/bus/port.ts'
import { formatIssues } from '../../schemas/issues.ts'
import { dlqTopicOf } from './definition.ts'
import { DlqEntry } from './dlq-schema.ts'

/** One message of the DLQ, parsed. */
export type DlqRecord = {
  /** Where the entry is on `<topic>.dlq`. */
  readonly partition: number
  readonly offset: string
} & (
  | { readonly ok: true; readonly entry: DlqEntry }
  /** Not a DLQ entry of this runtime: what is wrong with it. */
  | { readonly ok: false; readonly problem: string }
)

export interface ReadDlqOptions {
  readonly bus: Bus
  /** The original topic: `<topic>.dlq` is read. */
  readonly topic: string
  /** Called for each entry, one at a time; a rejection makes the bus deliver the entry again. */
  readonly visit: (record: DlqRecord) => Promise<void> | void
  /** Called once, before the first visit, with the number of entries to read. */
  readonly onTotal?: (total: number) => void
  /** The read gives up (rejects) after this time. Default 120000. */
  readonly timeoutMs?: number
}

const toRecord = (message: BusMessage): DlqRecord => {
  const place = { partition: message.partition, offset: message.offset }
  let json: unknown
  try {
    json = JSON.parse(message.value.toString('utf8'))
  } catch {
    return { ...place, ok: false, problem: 'the value is not JSON' }
  }
  const parsed = DlqEntry.safeParse(json)
  return parsed.success
    ? { ...place, ok: true, entry: parsed.data }
    : { ...place, ok: false, problem: formatIssues(parsed.error) }
}

/** Visits every entry of `<topic>.dlq` present when called; resolves with their number. */
export const readDlq = async ({
  bus,
  topic,
  visit,
  onTotal,
  timeoutMs = 120_000,
}: ReadDlqOptions): Promise<number> => {
  if (!bus.lag) throw new Error('this bus cannot report offsets, so its DLQ cannot be read')
  const dlqTopic = dlqTopicOf(topic)
  const groupId = `callbridge.dlq-reader.${randomUUID()}`
  const snapshot = (await bus.lag(groupId, dlqTopic)).filter(
    ({ start, end }) => BigInt(end) > BigInt(start),
  )
  const ends = new Map(snapshot.map(({ partition, end }) => [partition, BigInt(end)]))
  const total = snapshot.reduce(
    (sum, { start, end }) => sum + Number(BigInt(end) - BigInt(start)),
    0,
  )
  onTotal?.(total)
  if (ends.size === 0) return 0

  const unfinished = new Set(ends.keys())
  const finished = Promise.withResolvers<void>()
  const subscription = await bus.subscribe({
    groupId,
    topics: [dlqTopic],
    fromBeginning: true,
    retryDelayMs: 500,
    handler: async (message) => {
      const end = ends.get(message.partition)
      const offset = BigInt(message.offset)
      if (end === undefined || offset >= end) return
      await visit(toRecord(message))
      if (offset + 1n < end) return
      unfinished.delete(message.partition)
      if (unfinished.size === 0) finished.resolve()
    },
  })
  const timer = setTimeout(
    () => finished.reject(new Error(`reading ${dlqTopic} took longer than ${timeoutMs} ms`)),
    timeoutMs,
  )
  try {
    await finished.promise
    return total
  } finally {
    clearTimeout(timer)
    await subscription.stop()
  }
}
