/**
 * @module gateway/publish/batcher
 * Group commit: concurrent requests' messages for the same topic go to Kafka in ONE produce call,
 * and every caller's promise settles with that call's result. Throughput comes from batching, not
 * from dropping the ack.
 *
 * One produce call per topic is in flight at a time (the idempotent producer sends one request
 * at a time anyway): while it is, new messages gather and go as the next batch the moment it
 * settles. So a batch grows with the load and nobody waits for a timer under load; when nothing
 * is in flight, the first message waits `lingerMs` for company (0: until the current turn of the
 * event loop is over). A batch holds at most `maxMessages`.
 */
import type { OutgoingMessage } from '../../platform/bus/port.ts'

export interface BatcherOptions {
  readonly publish: (topic: string, messages: readonly OutgoingMessage[]) => Promise<void>
  readonly maxMessages?: number
  readonly lingerMs?: number
  /** Observes each flush (for the batch-size metric). */
  readonly onFlush?: (topic: string, size: number) => void
}

interface Waiter {
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

interface Lane {
  messages: OutgoingMessage[]
  waiters: Waiter[]
  timer: NodeJS.Timeout | NodeJS.Immediate | undefined
  sending: Promise<void> | undefined
}

export const createBatcher = ({
  publish,
  maxMessages = 500,
  lingerMs = 2,
  onFlush,
}: BatcherOptions) => {
  const lanes = new Map<string, Lane>()

  const laneOf = (topic: string): Lane => {
    let lane = lanes.get(topic)
    if (!lane) {
      lane = { messages: [], waiters: [], timer: undefined, sending: undefined }
      lanes.set(topic, lane)
    }
    return lane
  }

  const cancelTimer = (lane: Lane) => {
    if (lane.timer === undefined) return
    if (lingerMs > 0) clearTimeout(lane.timer as NodeJS.Timeout)
    else clearImmediate(lane.timer as NodeJS.Immediate)
    lane.timer = undefined
  }

  /** Sends the next batch of `topic` unless one is in flight (it then follows that one). */
  const flush = (topic: string) => {
    const lane = laneOf(topic)
    cancelTimer(lane)
    if (lane.sending || lane.messages.length === 0) return
    const messages = lane.messages.splice(0, maxMessages)
    const waiters = lane.waiters.splice(0, messages.length)
    onFlush?.(topic, messages.length)
    const sent = publish(topic, messages).then(
      () => {
        for (const w of waiters) w.resolve()
      },
      (error: unknown) => {
        for (const w of waiters) w.reject(error)
      },
    )
    lane.sending = sent
    void sent.finally(() => {
      lane.sending = undefined
      // Whatever gathered meanwhile has waited long enough: it goes now.
      flush(topic)
    })
  }

  const schedule = (topic: string, lane: Lane) => {
    if (lane.sending || lane.timer !== undefined) return
    lane.timer =
      lingerMs > 0 ? setTimeout(() => flush(topic), lingerMs) : setImmediate(() => flush(topic))
  }

  /** Resolves when the message's batch is acknowledged; rejects with the batch's error. */
  const send = (topic: string, message: OutgoingMessage): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const lane = laneOf(topic)
      lane.messages.push(message)
      lane.waiters.push({ resolve, reject })
      if (lane.messages.length >= maxMessages) flush(topic)
      else schedule(topic, lane)
    })

  /** Sends what is waiting now and resolves when nothing is waiting or in flight. */
  const drain = async () => {
    for (;;) {
      const busy = [...lanes].filter(([, lane]) => lane.sending || lane.messages.length > 0)
      if (busy.length === 0) return
      for (const [topic] of busy) flush(topic)
      await Promise.allSettled(busy.map(([, lane]) => lane.sending))
    }
  }

  return { send, drain }
}

export type Batcher = ReturnType<typeof createBatcher>
