/**
 * @module platform/bus/kafka
 * The bus on Kafka (kafkajs): one idempotent producer (acks=all), connected on first publish and
 * replaced after a failure; one consumer per subscription (kafka-consumer.ts); an admin client
 * for topics, consumer lag (kafka-lag.ts) and the health check. Trace context travels in message
 * headers (trace.ts).
 */
import { type Admin, Kafka, logLevel, type Message, Partitioners, type Producer } from 'kafkajs'
import { timedCheck } from '../health/check.ts'
import {
  defaultConsumerTuning,
  type KafkaConsumerTuning,
  startKafkaSubscription,
} from './kafka-consumer.ts'
import { fetchLag } from './kafka-lag.ts'
import { kafkaLogCreator } from './kafka-log.ts'
import { type BusLogger, silentBusLogger } from './logger.ts'
import type { Bus, Subscription } from './port.ts'
import { type TracedMessage, tracedPublish } from './trace.ts'

export type { KafkaConsumerTuning } from './kafka-consumer.ts'

export interface KafkaBusOptions {
  readonly brokers: readonly string[]
  readonly clientId: string
  /** Receives kafkajs warnings and errors, and handler failures. Default: silent. */
  readonly logger?: BusLogger
  /** TCP connect timeout per broker. kafkajs default 1000. */
  readonly connectionTimeoutMs?: number
  /** Timeout of one protocol request. kafkajs default 30000. */
  readonly requestTimeoutMs?: number
  /** Replication factor of topics created by ensureTopics. Default -1: the broker's default. */
  readonly replicationFactor?: number
  /** Partitions of topics created by ensureTopics without a count. Default 3. */
  readonly defaultPartitions?: number
  /** A publish not acknowledged within this time rejects. Default 30000. */
  readonly publishTimeoutMs?: number
  /** The health check gives up after this time. Default 3000. */
  readonly healthTimeoutMs?: number
  /** A lag query (metrics scrape, DLQ tools) gives up after this time. Default 5000. */
  readonly lagTimeoutMs?: number
  readonly consumer?: KafkaConsumerTuning
}

interface Connectable {
  connect(): Promise<void>
  disconnect(): Promise<void>
}

const ignore = (): void => {}

/** A client connected on first use; a failed connect or reset() makes the next get() start anew. */
const lazyClient = <T extends Connectable>(make: () => T) => {
  let current: { client: T; ready: Promise<T> } | undefined
  const drop = (client: T) => {
    if (current?.client !== client) return
    current = undefined
    client.disconnect().catch(ignore)
  }
  return {
    get: (): Promise<T> => {
      if (!current) {
        const client = make()
        const ready = client.connect().then(() => client)
        ready.catch(() => drop(client))
        current = { client, ready }
      }
      return current.ready
    },
    reset: drop,
    close: async (): Promise<void> => {
      const entry = current
      current = undefined
      await entry?.client.disconnect().catch(ignore)
    },
  }
}

const withTimeout = async <T>(work: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const toKafkaMessage = ({ key, value, headers }: TracedMessage): Message => ({
  key,
  value:
    typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.length),
  headers,
})

/** Creates the Kafka bus. Nothing connects until the first publish, subscribe or check. */
export const createKafkaBus = (options: KafkaBusOptions): Bus => {
  const logger = options.logger ?? silentBusLogger
  const publishTimeoutMs = options.publishTimeoutMs ?? 30_000
  const healthTimeoutMs = options.healthTimeoutMs ?? 3_000
  const lagTimeoutMs = options.lagTimeoutMs ?? 5_000
  const tuning = { ...defaultConsumerTuning, ...options.consumer }
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    ...(options.connectionTimeoutMs === undefined
      ? {}
      : { connectionTimeout: options.connectionTimeoutMs }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeout: options.requestTimeoutMs }),
  })
  const producers = lazyClient<Producer>(() =>
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    }),
  )
  const admins = lazyClient<Admin>(() => kafka.admin())
  const subscriptions = new Set<Subscription>()
  let closed = false

  const assertOpen = () => {
    if (closed) throw new Error('the Kafka bus is closed')
  }

  /** Runs `use` with the admin client; a failure drops the client so the next call reconnects. */
  const withAdmin = async <T>(ms: number, what: string, use: (admin: Admin) => Promise<T>) => {
    let admin: Admin | undefined
    const work = async () => {
      admin = await admins.get()
      return use(admin)
    }
    try {
      return await withTimeout(work(), ms, what)
    } catch (error) {
      if (admin) admins.reset(admin)
      throw error
    }
  }

  return {
    publish: async (topic, messages) => {
      assertOpen()
      if (messages.length === 0) return
      await tracedPublish('kafka', topic, messages, async (traced) => {
        let producer: Producer | undefined
        const send = async () => {
          producer = await producers.get()
          await producer.send({ topic, acks: -1, messages: traced.map(toKafkaMessage) })
        }
        try {
          await withTimeout(send(), publishTimeoutMs, `publish to ${topic}`)
        } catch (error) {
          if (producer) producers.reset(producer)
          throw error
        }
      })
    },

    subscribe: async (subscribeOptions) => {
      assertOpen()
      const subscription = await startKafkaSubscription(kafka, subscribeOptions, tuning, logger)
      const tracked: Subscription = {
        stop: async () => {
          subscriptions.delete(tracked)
          await subscription.stop()
        },
      }
      subscriptions.add(tracked)
      return tracked
    },

    ensureTopics: async (topics) => {
      assertOpen()
      const specs = new Map(topics.map((spec) => [spec.name, spec]))
      await withAdmin(publishTimeoutMs, 'ensureTopics', async (admin) => {
        const existing = new Set(await admin.listTopics())
        const missing = [...specs.values()].filter((spec) => !existing.has(spec.name))
        if (missing.length === 0) return
        try {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((spec) => ({
              topic: spec.name,
              numPartitions: spec.partitions ?? options.defaultPartitions ?? 3,
              replicationFactor: options.replicationFactor ?? -1,
            })),
          })
        } catch (error) {
          // Right after a create the metadata may not know the topic yet ("This server does not
          // host this topic-partition", retriable) and kafkajs gives up; wait for it below.
          if (!(error as { retriable?: boolean }).retriable) throw error
        }
        const names = missing.map((spec) => spec.name)
        const deadline = Date.now() + 15_000
        for (;;) {
          try {
            await admin.fetchTopicMetadata({ topics: names })
            return
          } catch (error) {
            if (Date.now() > deadline) throw error
            await new Promise((resolve) => setTimeout(resolve, 200))
          }
        }
      })
    },

    lag: async (groupId, topic) => {
      assertOpen()
      const found = await withAdmin(lagTimeoutMs, `lag of ${groupId} on ${topic}`, (admin) =>
        fetchLag(admin, groupId, topic),
      )
      if (!found) throw new Error(`unknown topic ${topic}`)
      return found
    },

    health: {
      name: 'kafka',
      check: () =>
        timedCheck(() => {
          assertOpen()
          return withAdmin(healthTimeoutMs, 'kafka health check', async (admin) => {
            const cluster = await admin.describeCluster()
            return {
              brokers: cluster.brokers.map(({ host, port }) => `${host}:${port}`),
              controller: cluster.controller,
            }
          })
        }),
    },

    close: async () => {
      closed = true
      await Promise.allSettled([...subscriptions].map((subscription) => subscription.stop()))
      await Promise.all([producers.close(), admins.close()])
    },
  }
}
