/**
 * @module gateway/publish/batcher
 * Group commit for Kafka: concurrent requests' messages for the same topic go to Kafka in ONE
 * produce call, and every caller's promise settles with that call's result. Throughput comes from
 * batching, not from dropping the ack.
 *
 * One produce call per topic is in flight at a time (the idempotent producer sends one request
 * at a time anyway): while it is, new messages gather and go as the next batch the moment it
 * settles (platform/async/group-commit). When nothing is in flight, the first message waits
 * `lingerMs` for company. A batch holds at most `maxMessages`.
 */
import { createGroupCommit, type GroupCommit } from '../../platform/async/group-commit.ts'
import type { OutgoingMessage } from '../../platform/bus/port.ts'

export interface BatcherOptions {
  readonly publish: (topic: string, messages: readonly OutgoingMessage[]) => Promise<void>
  readonly maxMessages?: number
  readonly lingerMs?: number
  /** Observes each flush (for the batch-size metric). */
  readonly onFlush?: (topic: string, size: number) => void
}

export const createBatcher = ({
  publish,
  maxMessages = 500,
  lingerMs = 2,
  onFlush,
}: BatcherOptions) => {
  const lanes = new Map<string, GroupCommit<OutgoingMessage, void>>()

  const laneOf = (topic: string) => {
    let lane = lanes.get(topic)
    if (!lane) {
      lane = createGroupCommit<OutgoingMessage, void>({
        run: async (messages) => {
          await publish(topic, messages)
          return messages.map(() => undefined)
        },
        maxItems: maxMessages,
        lingerMs,
        onFlush: (size) => onFlush?.(topic, size),
      })
      lanes.set(topic, lane)
    }
    return lane
  }

  /** Resolves when the message's batch is acknowledged; rejects with the batch's error. */
  const send = (topic: string, message: OutgoingMessage): Promise<void> =>
    laneOf(topic).submit(message)

  /** Sends what is waiting now and resolves when nothing is waiting or in flight. */
  const drain = async () => {
    await Promise.all([...lanes.values()].map((lane) => lane.drain()))
  }

  return { send, drain }
}

export type Batcher = ReturnType<typeof createBatcher>
