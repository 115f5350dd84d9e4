/**
 * @module consumers/runtime/metrics
 * The consumers' instruments, registered once per registry and shared by every consumer of the
 * process: messages by outcome, handler duration, and lag read from the bus when Prometheus
 * scrapes (a consumer registers its groups while it runs).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { Bus } from '../../platform/bus/port.ts'
import type { Logger } from '../../platform/log/logger.ts'

/** How a delivery ended: handled, sent to `.retry`, parked in `.dlq`, or parked as schema-invalid. */
export type ConsumerOutcome = 'ok' | 'retry' | 'dlq' | 'invalid'

/** A consumer group whose lag on a topic is reported. */
export interface LagSource {
  readonly consumer: string
  readonly groupId: string
  readonly topic: string
  readonly bus: Bus
  readonly logger: Logger
}

export interface ConsumerMetrics {
  count(consumer: string, outcome: ConsumerOutcome): void
  /** Starts timing a handler run; call the result when it ends. */
  time(consumer: string): () => void
  /** Reports the lag of `source` at every scrape until the returned function is called. */
  watchLag(source: LagSource): () => void
}

const created = new WeakMap<Registry, ConsumerMetrics>()

const createConsumerMetrics = (registry: Registry): ConsumerMetrics => {
  const sources = new Set<LagSource>()
  const messages = new Counter({
    name: 'callbridge_consumer_messages_total',
    help: 'Messages handled by consumer and outcome (ok, retry, dlq, invalid).',
    labelNames: ['consumer', 'outcome'] as const,
    registers: [registry],
  })
  const handlerSeconds = new Histogram({
    name: 'callbridge_consumer_handler_seconds',
    help: 'Duration of handler runs (successful or not), by consumer.',
    labelNames: ['consumer'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  })
  new Gauge({
    name: 'callbridge_consumer_lag',
    help: "Messages a consumer group has still to consume, by partition (read from the bus at scrape time; the retry worker's group is reported on <topic>.retry).",
    labelNames: ['consumer', 'topic', 'partition'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      await Promise.all(
        [...sources].map(async ({ consumer, groupId, topic, bus, logger }) => {
          try {
            for (const { partition, lag } of (await bus.lag?.(groupId, topic)) ?? []) {
              this.set({ consumer, topic, partition: String(partition) }, lag)
            }
          } catch (error) {
            // Left out of this scrape: a missing series is visible, a stale value is not.
            logger.debug({ err: error, topic, group: groupId }, 'consumer lag unavailable')
          }
        }),
      )
    },
  })
  return {
    count: (consumer, outcome) => messages.inc({ consumer, outcome }),
    time: (consumer) => handlerSeconds.startTimer({ consumer }),
    watchLag: (source) => {
      sources.add(source)
      return () => {
        sources.delete(source)
      }
    },
  }
}

/** The consumer instruments on `registry`, created on first use. */
export const consumerMetrics = (registry: Registry): ConsumerMetrics => {
  let metrics = created.get(registry)
  if (!metrics) {
    metrics = createConsumerMetrics(registry)
    created.set(registry, metrics)
  }
  return metrics
}
