/**
 * @module consumers/runtime/start
 * Starts a consumer: makes sure its topics exist, joins `callbridge.<name>` on the topic and
 * `callbridge.<name>.retry` on `<topic>.retry`, reports lag, and stops both gracefully.
 */
import type { Bus, MessageHandler, Subscription } from '../../platform/bus/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import type { Registry } from '../../platform/metrics/registry.ts'
import { type ConsumerDefinition, consumerNames, resolvePolicy } from './definition.ts'
import { runtimeHeaders } from './headers.ts'
import { consumerMetrics } from './metrics.ts'
import { createProcessor } from './processor.ts'
import { retryHandler } from './retry-worker.ts'

export interface StartConsumerOptions<T> {
  readonly bus: Bus
  readonly definition: ConsumerDefinition<T>
  /** The role's logger; `role` is bound to the consumer name unless it already is. */
  readonly logger: Logger
  /** The process registry; the consumer instruments are registered on it once. */
  readonly metrics: Registry
  /** The clock of due times and DLQ timestamps. Default Date.now. */
  readonly now?: () => number
  /** The jitter source, in [0, 1). Default Math.random; tests pass a fixed one. */
  readonly random?: () => number
}

/** A running consumer. */
export interface RunningConsumer {
  /**
   * Finishes the in-flight handlers (a retry still waiting for its due time is left for the next
   * owner), commits, and leaves both groups. Idempotent.
   */
  stop(): Promise<void>
}

/**
 * Partitions of `<topic>.retry` handled at once by one member. A retry waits for its due time in
 * its handler, so more than one partition at a time keeps one long wait from holding the others.
 */
const RETRY_PARTITIONS_CONCURRENTLY = 4

const roleLogger = (logger: Logger, name: string): Logger =>
  logger.bindings()['role'] === name ? logger : logger.child({ role: name })

/**
 * Starts `definition` on `bus`. Resolves once both subscriptions consume; rejects (having left
 * nothing running) when the definition is invalid or the bus refuses.
 *
 * @example
 * ```ts
 * const running = await startConsumer({ bus, definition: notifier, logger, metrics })
 * // on shutdown
 * await running.stop()
 * ```
 */
export const startConsumer = async <T>({
  bus,
  definition,
  logger: baseLogger,
  metrics: registry,
  now = Date.now,
  random = Math.random,
}: StartConsumerOptions<T>): Promise<RunningConsumer> => {
  const policy = resolvePolicy(definition)
  const names = consumerNames(definition)
  const { name } = definition
  const logger = roleLogger(baseLogger, name)
  const metrics = consumerMetrics(registry)
  await bus.ensureTopics([
    { name: names.topic },
    { name: names.retryTopic },
    { name: names.dlqTopic },
  ])
  const processor = createProcessor({
    bus,
    definition,
    policy,
    names,
    logger,
    metrics,
    now,
    random,
  })

  const mainHandler: MessageHandler = async (message) => {
    // A replay is meant for the consumer that parked it; the topic's other consumers skip it.
    const replayFor = message.headers[runtimeHeaders.replayFor]
    if (replayFor !== undefined && replayFor !== name) return
    const { topic, partition, offset, timestamp } = message
    await processor.deliver(message, {
      attempt: 1,
      origin: { topic, partition, offset, timestamp },
      key: message.key,
      firstFailedAt: undefined,
    })
  }

  const subscriptions: Subscription[] = []
  try {
    subscriptions.push(
      await bus.subscribe({
        groupId: names.groupId,
        topics: [names.topic],
        keyConcurrency: policy.keyConcurrency,
        handler: mainHandler,
      }),
    )
    subscriptions.push(
      await bus.subscribe({
        groupId: names.retryGroupId,
        topics: [names.retryTopic],
        keyConcurrency: policy.keyConcurrency,
        partitionsConcurrently: RETRY_PARTITIONS_CONCURRENTLY,
        handler: retryHandler({ name, processor, now, maxWaitMs: policy.maxMs }),
      }),
    )
  } catch (error) {
    await Promise.allSettled(subscriptions.map((subscription) => subscription.stop()))
    throw error
  }
  const unwatch = [
    { groupId: names.groupId, topic: names.topic },
    { groupId: names.retryGroupId, topic: names.retryTopic },
  ].map((group) => metrics.watchLag({ consumer: name, bus, logger, ...group }))
  logger.info(
    { topic: names.topic, group: names.groupId, keyConcurrency: policy.keyConcurrency },
    'consumer started',
  )

  let stopped: Promise<void> | undefined
  return {
    stop: () => {
      stopped ??= (async () => {
        for (const stopWatching of unwatch) stopWatching()
        await Promise.all(subscriptions.map((subscription) => subscription.stop()))
        logger.info({ topic: names.topic }, 'consumer stopped')
      })()
      return stopped
    },
  }
}
