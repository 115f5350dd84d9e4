/**
 * @module platform/bus/embedded
 * The bus without Kafka, for one-process mode and unit tests: a durable log in SQLite
 * (embedded-store.ts), consumer groups shared by the subscriptions of this bus instance
 * (embedded-group.ts, embedded-member.ts). Same delivery and trace behaviour as the Kafka bus.
 * Open one bus instance per file: groups are not coordinated across instances or processes.
 */
import { timedCheck } from '../health/check.ts'
import { createGroupCoordinator } from './embedded-group.ts'
import { createEmbeddedMember, createNotifier } from './embedded-member.ts'
import { openEmbeddedStore } from './embedded-store.ts'
import { type BusLogger, silentBusLogger } from './logger.ts'
import type { Bus, Subscription } from './port.ts'
import { EMBEDDED_MESSAGING_SYSTEM, tracedPublish } from './trace.ts'

export interface EmbeddedBusOptions {
  /** SQLite file of the log (created if missing), or ':memory:' for a log that dies with the bus. */
  readonly path: string
  /** How often idle consumers look for messages appended by another bus on the file. Default 50. */
  readonly pollIntervalMs?: number
  /** Partitions of topics created without a count (on first publish or subscribe). Default 3. */
  readonly partitions?: number
  /** Receives handler failures and consumer errors. Default: silent. */
  readonly logger?: BusLogger
}

/** Opens the embedded bus on `options.path`. */
export const createEmbeddedBus = (options: EmbeddedBusOptions): Bus => {
  const logger = options.logger ?? silentBusLogger
  const store = openEmbeddedStore(options.path, options.partitions ?? 3)
  const notifier = createNotifier()
  const groups = createGroupCoordinator((topic) => store.ensureTopic(topic))
  const memberContext = { store, notifier, logger, pollIntervalMs: options.pollIntervalMs ?? 50 }
  const subscriptions = new Set<Subscription>()
  let closed = false

  const assertOpen = () => {
    if (closed) throw new Error('the embedded bus is closed')
  }

  return {
    publish: async (topic, messages) => {
      assertOpen()
      if (messages.length === 0) return
      await tracedPublish(EMBEDDED_MESSAGING_SYSTEM, topic, messages, async (traced) => {
        store.append(topic, traced)
      })
      notifier.notify(topic)
    },

    subscribe: async (subscribeOptions) => {
      assertOpen()
      for (const topic of subscribeOptions.topics) store.ensureTopic(topic)
      const member = createEmbeddedMember(subscribeOptions, memberContext)
      await groups.join(subscribeOptions.groupId, member)
      let stopped: Promise<void> | undefined
      const subscription: Subscription = {
        stop: () => {
          subscriptions.delete(subscription)
          stopped ??= groups.leave(subscribeOptions.groupId, member)
          return stopped
        },
      }
      subscriptions.add(subscription)
      return subscription
    },

    ensureTopics: async (topics) => {
      assertOpen()
      for (const { name, partitions } of topics) store.ensureTopic(name, partitions)
    },

    lag: async (groupId, topic) => {
      assertOpen()
      const partitions = store.partitionsOf(topic)
      if (partitions === undefined) throw new Error(`unknown topic ${topic}`)
      return Array.from({ length: partitions }, (_, partition) => {
        const end = store.endOffset(topic, partition)
        const committed = store.committed(groupId, topic, partition) ?? null
        return {
          partition,
          start: '0',
          end: String(end),
          committed: committed === null ? null : String(committed),
          lag: Math.max(0, end - (committed ?? 0)),
        }
      })
    },

    health: {
      name: 'bus',
      check: () =>
        timedCheck(async () => {
          assertOpen()
          return { mode: 'embedded', path: options.path, journal: store.ping() }
        }),
    },

    close: async () => {
      if (closed) return
      closed = true
      await Promise.allSettled([...subscriptions].map((subscription) => subscription.stop()))
      store.close()
    },
  }
}
