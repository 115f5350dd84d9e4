/**
 * @module gateway/publish/batcher
 * Group commit: concurrent requests' messages for the same topic are collected for at most
 * `lingerMs` (or until `maxMessages`) and sent in ONE produce call; every caller's promise settles
 * with that call's result. Throughput comes from batching, not from dropping the ack.
 */
import type { OutgoingMessage } from '../../platform/bus/port.ts'

export interface BatcherOptions {
  readonly publish: (topic: string, messages: readonly OutgoingMessage[]) => Promise<void>
  readonly maxMessages?: number
  readonly lingerMs?: number
  /** Observes each flush (for the batch-size metric). */
  readonly onFlush?: (topic: string, size: number) => void
}

interface Pending {
  messages: OutgoingMessage[]
  waiters: { resolve: () => void; reject: (error: unknown) => void }[]
  timer: NodeJS.Timeout | undefined
}

export const createBatcher = ({
  publish,
  maxMessages = 500,
  lingerMs = 2,
  onFlush,
}: BatcherOptions) => {
  const pending = new Map<string, Pending>()
  const inFlight = new Set<Promise<void>>()

  const flush = (topic: string) => {
    const batch = pending.get(topic)
    if (!batch) return
    pending.delete(topic)
    if (batch.timer) clearTimeout(batch.timer)
    onFlush?.(topic, batch.messages.length)
    const sent = publish(topic, batch.messages).then(
      () => {
        for (const w of batch.waiters) w.resolve()
      },
      (error: unknown) => {
        for (const w of batch.waiters) w.reject(error)
      },
    )
    inFlight.add(sent)
    void sent.finally(() => inFlight.delete(sent))
  }

  /** Resolves when the message's batch is acknowledged; rejects with the batch's error. */
  const send = (topic: string, message: OutgoingMessage): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let batch = pending.get(topic)
      if (!batch) {
        batch = { messages: [], waiters: [], timer: undefined }
        pending.set(topic, batch)
        batch.timer = setTimeout(() => flush(topic), lingerMs)
      }
      batch.messages.push(message)
      batch.waiters.push({ resolve, reject })
      if (batch.messages.length >= maxMessages) flush(topic)
    })

  /** Sends what is waiting now and resolves when every batch in flight has settled. */
  const drain = async () => {
    for (const topic of [...pending.keys()]) flush(topic)
    await Promise.allSettled([...inFlight])
  }

  return { send, drain }
}

export type Batcher = ReturnType<typeof createBatcher>
