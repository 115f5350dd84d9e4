/**
 * @module platform/bus/embedded-member
 * One subscription of the embedded bus: a loop per assigned partition that reads the log from the
 * group's committed position in batches, handles each batch with per-key order and up to
 * `keyConcurrency` keys at once (keyed.ts), and commits the watermark as it advances.
 * An idle loop sleeps until a publish in this bus wakes it, or until the next poll.
 */
import { DEFAULT_RETRY_DELAY_MS, deliverUntilHandled, pause } from './deliver.ts'
import type { GroupMember, TopicPartition } from './embedded-group.ts'
import type { EmbeddedStore, StoredMessage } from './embedded-store.ts'
import { runKeyedBatch } from './keyed.ts'
import type { BusLogger } from './logger.ts'
import type { BusMessage, SubscribeOptions } from './port.ts'
import { EMBEDDED_MESSAGING_SYSTEM } from './trace.ts'

const READ_BATCH = 100

/** Wakes the loops waiting on a topic when a message is appended to it. */
export const createNotifier = () => {
  const waiting = new Map<string, Set<() => void>>()
  return {
    notify: (topic: string): void => {
      for (const wake of waiting.get(topic) ?? []) wake()
    },
    /** Resolves on the next notify(topic), after `ms`, or when the signal aborts. */
    wait: (topic: string, ms: number, signal: AbortSignal): Promise<void> =>
      new Promise((resolve) => {
        const set = waiting.get(topic) ?? new Set()
        waiting.set(topic, set)
        const wake = () => {
          clearTimeout(timer)
          set.delete(wake)
          signal.removeEventListener('abort', wake)
          resolve()
        }
        const timer = setTimeout(wake, ms)
        signal.addEventListener('abort', wake, { once: true })
        set.add(wake)
      }),
  }
}

/** Lets at most `slots` calls run at once, in arrival order. */
const createLimiter = (slots: number) => {
  let free = Math.max(1, slots)
  const queue: (() => void)[] = []
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free > 0) free--
    else await new Promise<void>((resolve) => queue.push(resolve))
    try {
      return await work()
    } finally {
      const next = queue.shift()
      if (next) next()
      else free++
    }
  }
}

export interface MemberContext {
  readonly store: EmbeddedStore
  readonly notifier: ReturnType<typeof createNotifier>
  readonly logger: BusLogger
  readonly pollIntervalMs: number
}

const toBusMessage = (stored: StoredMessage): BusMessage => ({
  ...stored,
  offset: String(stored.offset),
})

/** A group member consuming with `options.handler`; the coordinator assigns its partitions. */
export const createEmbeddedMember = (
  options: SubscribeOptions,
  { store, notifier, logger, pollIntervalMs }: MemberContext,
): GroupMember => {
  const { groupId, handler } = options
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS
  const keyConcurrency = Math.max(1, options.keyConcurrency ?? 1)
  // As on Kafka, where each of `partitionsConcurrently` batches runs up to keyConcurrency handlers.
  const limit = createLimiter((options.partitionsConcurrently ?? 1) * keyConcurrency)
  let loops: { readonly stop: AbortController; readonly done: Promise<void> }[] = []

  /** Delivers one message; false when stopped before it was handled. */
  const deliver = (message: BusMessage, signal: AbortSignal) =>
    limit(async () => {
      if (signal.aborted) return false
      return deliverUntilHandled(message, {
        system: EMBEDDED_MESSAGING_SYSTEM,
        groupId,
        handler,
        retryDelayMs,
        signal,
        logger,
      })
    })

  const consume = async ({ topic, partition }: TopicPartition, signal: AbortSignal) => {
    let position =
      store.committed(groupId, topic, partition) ??
      (options.fromBeginning === false ? store.endOffset(topic, partition) : 0)
    while (!signal.aborted) {
      try {
        const batch = store.read(topic, partition, position, READ_BATCH).map(toBusMessage)
        if (batch.length === 0) {
          await notifier.wait(topic, pollIntervalMs, signal)
          continue
        }
        const finished = await runKeyedBatch(batch, {
          keyConcurrency,
          deliver: (message) => deliver(message, signal),
          commit: (next) => {
            store.commit(groupId, topic, partition, Number(next))
            position = Number(next)
          },
          signal,
        })
        if (!finished) return
      } catch (error) {
        logger.error({ topic, partition, groupId, err: error }, 'embedded bus consumer failed')
        await pause(retryDelayMs, signal)
      }
    }
  }

  return {
    topics: options.topics,
    assign: (partitions) => {
      loops = partitions.map((assigned) => {
        const stop = new AbortController()
        return { stop, done: consume(assigned, stop.signal) }
      })
    },
    revoke: async () => {
      const current = loops
      loops = []
      for (const loop of current) loop.stop.abort()
      await Promise.all(current.map((loop) => loop.done))
    },
  }
}
