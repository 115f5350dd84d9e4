/**
 * @module test/e2e/observer
 * The run's view of its broker: an observer group recording the pipeline's events, the consumer
 * groups' lag, and the messages parked on the DLQ and `.invalid` topics.
 */
import { createKafkaBus } from '../../platform/bus/kafka.ts'
import type { Bus, BusMessage, Subscription } from '../../platform/bus/port.ts'
import { waitFor } from '../wait-for.ts'
import { consumedTopic, parkingTopics, type RoleName } from './fixtures.ts'

/** An event the observer read from the broker. */
export interface ObservedEvent {
  readonly topic: string
  readonly key: string | null
  readonly ceId: string | undefined
  readonly value: unknown
}

/** One consumer group's lag on one topic. */
export interface GroupLag {
  readonly group: string
  readonly topic: string
  readonly lag: number | 'missing'
}

export interface Observer {
  readonly events: readonly ObservedEvent[]
  /** Lag of every consumer group of the running roles. */
  lags(): Promise<GroupLag[]>
  /** Messages on each parking topic; -1 when it cannot be read. */
  parked(): Promise<Record<string, number>>
  close(): Promise<void>
}

const observedTopics = ['calls.completed', 'calls.matched', 'recordings.attached']

const parse = (message: BusMessage): unknown => {
  try {
    return JSON.parse(message.value.toString('utf8'))
  } catch {
    return message.value.toString('utf8')
  }
}

const total = (partitions: readonly { lag: number }[]) =>
  partitions.reduce((sum, p) => sum + p.lag, 0)

/** Subscribes the observer group; the roles' topics must be creatable by now. */
export const startObserver = async ({
  brokers,
  runId,
  roles,
}: {
  brokers: readonly string[]
  runId: string
  roles: readonly RoleName[]
}): Promise<Observer> => {
  const bus: Bus = createKafkaBus({ brokers: [...brokers], clientId: `e2e-observer-${runId}` })
  const events: ObservedEvent[] = []
  let subscription: Subscription | undefined
  try {
    // Normally all exist by now. Retried: creating a topic can fail with a retriable
    // UNKNOWN_TOPIC_OR_PARTITION right after the create.
    await waitFor(
      async () => {
        await bus.ensureTopics([...observedTopics, ...parkingTopics].map((name) => ({ name })))
        return true
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the observed and parking topics' },
    )
    subscription = await bus.subscribe({
      groupId: 'e2e.observer',
      topics: observedTopics,
      handler: async (message: BusMessage) => {
        const ceId = message.headers['ce_id']
        events.push({ topic: message.topic, key: message.key, ceId, value: parse(message) })
      },
    })
  } catch (error) {
    await bus.close()
    throw error
  }

  const lags = async (): Promise<GroupLag[]> => {
    const pairs = roles.flatMap((role) =>
      role === 'gateway'
        ? []
        : [
            { group: `callbridge.${role}`, topic: consumedTopic[role] },
            { group: `callbridge.${role}.retry`, topic: `${consumedTopic[role]}.retry` },
          ],
    )
    return Promise.all(
      pairs.map(async ({ group, topic }) => {
        try {
          return { group, topic, lag: total((await bus.lag?.(group, topic)) ?? []) }
        } catch {
          return { group, topic, lag: 'missing' as const }
        }
      }),
    )
  }

  const parked = async (): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {}
    for (const topic of parkingTopics) {
      try {
        // A group that never committed lags by everything the topic holds.
        counts[topic] = total((await bus.lag?.('e2e.parking-probe', topic)) ?? [])
      } catch {
        counts[topic] = -1 // unreadable (the observer created every parking topic at start)
      }
    }
    return counts
  }

  return {
    events,
    lags,
    parked,
    close: async () => {
      await subscription?.stop()
      await bus.close()
    },
  }
}
