/**
 * @module platform/bus/kafka-consumer
 * One subscription on Kafka: a kafkajs consumer in the group, offsets committed by hand after
 * each handled message. A rejected handler is retried in place (deliver.ts), heartbeating between
 * attempts: throwing out of eachMessage instead would stop every partition of the member behind
 * kafkajs' exponential retrier and, after 5 failures in a row, crash and rejoin the consumer.
 */
import type { Consumer, EachMessagePayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs'
import { DEFAULT_RETRY_DELAY_MS, deliverUntilHandled } from './deliver.ts'
import type { BusLogger } from './logger.ts'
import type { BusHeaders, BusMessage, SubscribeOptions, Subscription } from './port.ts'

/** Consumer timings. Lower values make joins, rebalances and stops faster (tests, dev). */
export interface KafkaConsumerTuning {
  /** A member silent this long leaves the group. Brokers reject values below 6000 by default. */
  readonly sessionTimeoutMs?: number
  /** How often membership is confirmed; rebalances are noticed at this pace. */
  readonly heartbeatIntervalMs?: number
  /** How long a rebalance waits for members to rejoin. */
  readonly rebalanceTimeoutMs?: number
  /** Longest a fetch waits for new data; also bounds how long a stop waits for the fetch. */
  readonly maxWaitTimeMs?: number
}

/** The kafkajs defaults, written out. */
export const defaultConsumerTuning: Required<KafkaConsumerTuning> = {
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 5_000,
}

const headerValue = (value: IHeaders[string]): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined ? undefined : first.toString()
}

const toHeaders = (headers: IHeaders | undefined): BusHeaders => {
  const result: BusHeaders = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    const text = headerValue(value)
    if (text !== undefined) result[name] = text
  }
  return result
}

const toBusMessage = (topic: string, partition: number, message: KafkaMessage): BusMessage => ({
  topic,
  partition,
  offset: message.offset,
  key: message.key === null ? null : message.key.toString(),
  value: message.value ?? Buffer.alloc(0),
  headers: toHeaders(message.headers),
  timestamp: Number(message.timestamp),
})

/**
 * `done` resolves after the consumer's first fetch (start offsets resolved), or after `ms` at the
 * latest; `cancel` resolves it at once and drops the listener.
 */
const firstFetch = (consumer: Consumer, ms: number) => {
  let cancel = () => {}
  const done = new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer)
      remove()
      resolve()
    }
    const timer = setTimeout(finish, ms)
    const remove = consumer.on(consumer.events.FETCH, finish)
    cancel = finish
  })
  return { done, cancel }
}

/**
 * Joins `options.groupId` and starts delivering; resolves once this member has its partitions
 * (and, with `fromBeginning: false`, once the start offsets are resolved, so messages published
 * afterwards are not skipped).
 */
export const startKafkaSubscription = async (
  kafka: Kafka,
  options: SubscribeOptions,
  tuning: Required<KafkaConsumerTuning>,
  logger: BusLogger,
): Promise<Subscription> => {
  const { groupId, handler } = options
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: tuning.sessionTimeoutMs,
    heartbeatInterval: tuning.heartbeatIntervalMs,
    rebalanceTimeout: tuning.rebalanceTimeoutMs,
    maxWaitTimeInMs: tuning.maxWaitTimeMs,
    allowAutoTopicCreation: false,
  })
  const stopping = new AbortController()
  const inFlight = new Set<Promise<void>>()

  const handle = async ({ topic, partition, message, heartbeat }: EachMessagePayload) => {
    const handled = await deliverUntilHandled(toBusMessage(topic, partition, message), {
      system: 'kafka',
      groupId,
      handler,
      retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
      signal: stopping.signal,
      logger,
      beforeRetry: heartbeat,
    })
    if (!handled) return
    const next = (BigInt(message.offset) + 1n).toString()
    await consumer.commitOffsets([{ topic, partition, offset: next }])
  }

  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return
    logger.error({ groupId, err: payload.error }, 'kafka consumer crashed and will not restart')
  })

  let started: ReturnType<typeof firstFetch> | undefined
  try {
    await consumer.connect()
    await consumer.subscribe({
      topics: [...options.topics],
      fromBeginning: options.fromBeginning ?? true,
    })
    if (options.fromBeginning === false) {
      started = firstFetch(consumer, tuning.maxWaitTimeMs * 2 + 5_000)
    }
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
      eachMessage: async (payload) => {
        // Once stopping, the rest of the fetched batch is left uncommitted for the next owner.
        if (stopping.signal.aborted) return
        const work = handle(payload)
        inFlight.add(work)
        try {
          await work
        } finally {
          inFlight.delete(work)
        }
      },
    })
    await started?.done
  } catch (error) {
    started?.cancel()
    await consumer.disconnect().catch(() => {})
    throw error
  }

  let stopped: Promise<void> | undefined
  return {
    stop: () => {
      stopped ??= (async () => {
        stopping.abort()
        await Promise.allSettled([...inFlight])
        await consumer.disconnect()
      })()
      return stopped
    },
  }
}
