/**
 * @module platform/bus/kafka-consumer
 * One subscription on Kafka: a kafkajs consumer in the group, consuming with eachBatch so that
 * `keyConcurrency` keys of a partition can run at once (keyed.ts); offsets are resolved and
 * committed by hand as the batch's watermark advances. kafkajs' own trace continuation is not
 * used (eachBatch would only link spans): trace.ts makes one CONSUMER span per message, a child
 * of the producer's context. A rejected handler is retried in place (deliver.ts), heartbeating
 * between attempts: throwing out of eachBatch instead would stop every partition of the member
 * behind kafkajs' exponential retrier and, after 5 failures in a row, crash and rejoin.
 */
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs'
import { DEFAULT_RETRY_DELAY_MS, deliverUntilHandled } from './deliver.ts'
import { runKeyedBatch } from './keyed.ts'
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

interface BatchContext {
  readonly consumer: Consumer
  readonly options: SubscribeOptions
  readonly logger: BusLogger
  readonly stopping: AbortSignal
  readonly heartbeatIntervalMs: number
}

/**
 * Handles one fetched batch of one partition (keyed.ts), committing the watermark as it
 * advances. Heartbeats while handlers run, so a long handler keeps the membership; a heartbeat
 * that fails (a rebalance) or a partition gone stale stops the batch: running handlers are
 * awaited, their progress committed, and the error passed to kafkajs, which rejoins the group.
 */
const handleBatch = async (
  { batch, heartbeat, resolveOffset, isStale }: EachBatchPayload,
  { consumer, options, logger, stopping, heartbeatIntervalMs }: BatchContext,
) => {
  const { topic, partition } = batch
  const { groupId, handler } = options
  const lost = new AbortController()
  const signal = AbortSignal.any([stopping, lost.signal])
  let heartbeatError: { error: unknown } | undefined
  let beating: Promise<void> | undefined
  const beat = () => {
    beating ??= heartbeat()
      .catch((error: unknown) => {
        heartbeatError ??= { error }
        lost.abort()
      })
      .finally(() => {
        beating = undefined
      })
  }
  const ticker = setInterval(beat, heartbeatIntervalMs)
  try {
    await runKeyedBatch(
      batch.messages.map((message) => toBusMessage(topic, partition, message)),
      {
        keyConcurrency: options.keyConcurrency ?? 1,
        signal,
        deliver: async (message) => {
          if (isStale()) {
            lost.abort()
            return false
          }
          return deliverUntilHandled(message, {
            system: 'kafka',
            groupId,
            handler,
            retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
            signal,
            logger,
            beforeRetry: heartbeat,
          }).catch((error: unknown) => {
            lost.abort()
            throw error
          })
        },
        commit: async (next) => {
          resolveOffset((BigInt(next) - 1n).toString())
          await consumer.commitOffsets([{ topic, partition, offset: next }])
        },
      },
    )
  } finally {
    clearInterval(ticker)
    await beating
  }
  if (heartbeatError) throw heartbeatError.error
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
  const { groupId } = options
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
  const context: BatchContext = {
    consumer,
    options,
    logger,
    stopping: stopping.signal,
    heartbeatIntervalMs: tuning.heartbeatIntervalMs,
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
      // Offsets are resolved as the watermark advances: what was not handled is fetched again.
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
      eachBatch: async (payload) => {
        // Once stopping, the rest of the fetched batch is left uncommitted for the next owner.
        if (stopping.signal.aborted) return
        const work = handleBatch(payload, context)
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
