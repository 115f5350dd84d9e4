/**
 * @module consumers/runtime/definition
 * What a pipeline consumer declares (name, topic, value schema, handler, retry policy) and what
 * its handler gets, plus the naming of its consumer groups and of the topic's `.retry` and
 * `.dlq` companions.
 */
import type { z } from 'zod'
import type { Logger } from '../../platform/log/logger.ts'

/** What a handler gets besides the parsed event. */
export interface HandlerContext {
  /** The message key (Kafka partitioning key), e.g. the telephonySessionId of a call. */
  readonly key: string | null
  /** The event's own headers (`ce_*`, `traceparent`), without the runtime's retry metadata. */
  readonly headers: Readonly<Record<string, string>>
  /** 1 on the first delivery, then 2, 3, ... up to `maxAttempts`. */
  readonly attempt: number
  /** The `ce_id` header: the event's id. Falls back to `<topic>/<partition>/<offset>`. */
  readonly correlationId: string
  /** The consumer's logger with `correlation_id` and `attempt` bound: log through this one. */
  readonly logger: Logger
}

/** Backoff before the next attempt: exponential with full jitter. */
export interface BackoffOptions {
  /** Upper bound of the first wait. Default 1000 ms. */
  readonly baseMs?: number
  /** Upper bound of any wait. Default 600000 ms (10 min). */
  readonly maxMs?: number
}

/**
 * One pipeline consumer. `handle` should be idempotent: delivery is at least once, and a message
 * that is retried can overtake, or be overtaken by, later messages of its key.
 *
 * @example
 * ```ts
 * const notifier: ConsumerDefinition<CallMatched> = {
 *   name: 'notifier',
 *   topic: 'calls.matched',
 *   schema: CallMatched,
 *   handle: async (event, { logger }) => {
 *     if (!event.owner) throw new PermanentError('no owner to notify')
 *     await send(event)
 *     logger.info('notified')
 *   },
 * }
 * ```
 */
export interface ConsumerDefinition<T> {
  /** Role name; the consumer group is `callbridge.<name>`, its retry worker's `callbridge.<name>.retry`. */
  readonly name: string
  readonly topic: string
  /** Value schema (the value is JSON); an invalid message goes to the DLQ at once. */
  readonly schema: z.ZodType<T>
  /** Throw to retry later; throw a PermanentError to park the message in the DLQ now. */
  readonly handle: (event: T, context: HandlerContext) => Promise<void>
  /** Handler runs before the message is parked in the DLQ. Default 8. */
  readonly maxAttempts?: number
  readonly backoff?: BackoffOptions
  /** Messages of different keys of one partition handled at once. Default 8. */
  readonly keyConcurrency?: number
}

/** The overridable delivery policy of a definition (the runtime's defaults otherwise). */
export type ConsumerPolicy = Pick<
  ConsumerDefinition<unknown>,
  'maxAttempts' | 'backoff' | 'keyConcurrency'
>

/**
 * Thrown by a handler that knows retrying cannot help (a record that can never be valid, a
 * rejected request): the message goes to the DLQ at once, with this error and its `cause`.
 *
 * @example
 * ```ts
 * throw new PermanentError('Zoho rejected the lead', { cause: error })
 * ```
 */
export class PermanentError extends Error {
  override readonly name = 'PermanentError'
}

/** The defaults of the optional definition fields. */
export const consumerDefaults = {
  maxAttempts: 8,
  baseMs: 1_000,
  maxMs: 600_000,
  keyConcurrency: 8,
} as const

/** A definition with its defaults applied, checked once at start. */
export interface ResolvedPolicy {
  readonly maxAttempts: number
  readonly baseMs: number
  readonly maxMs: number
  readonly keyConcurrency: number
}

const positiveInteger = (value: number, what: string): number => {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${what} must be a positive integer, got ${value}`)
  }
  return value
}

/** Applies the defaults; throws a RangeError naming the field when a value makes no sense. */
export const resolvePolicy = <T>(definition: ConsumerDefinition<T>): ResolvedPolicy => {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(definition.name)) {
    throw new RangeError(`consumer name must be a plain identifier, got '${definition.name}'`)
  }
  const baseMs = definition.backoff?.baseMs ?? consumerDefaults.baseMs
  const maxMs = definition.backoff?.maxMs ?? consumerDefaults.maxMs
  if (!(baseMs >= 0 && maxMs >= baseMs)) {
    throw new RangeError(`backoff needs 0 <= baseMs <= maxMs, got ${baseMs} and ${maxMs}`)
  }
  return {
    maxAttempts: positiveInteger(
      definition.maxAttempts ?? consumerDefaults.maxAttempts,
      'maxAttempts',
    ),
    baseMs,
    maxMs,
    keyConcurrency: positiveInteger(
      definition.keyConcurrency ?? consumerDefaults.keyConcurrency,
      'keyConcurrency',
    ),
  }
}

/** The topics and consumer groups of one consumer. */
export interface ConsumerNames {
  readonly topic: string
  readonly retryTopic: string
  readonly dlqTopic: string
  readonly groupId: string
  readonly retryGroupId: string
}

/** `<topic>.retry`: failed messages waiting for their next attempt, shared by the topic's consumers. */
export const retryTopicOf = (topic: string): string => `${topic}.retry`

/** `<topic>.dlq`: messages parked after their last attempt, with the reason. */
export const dlqTopicOf = (topic: string): string => `${topic}.dlq`

/** The names `startConsumer` uses for `definition`. */
export const consumerNames = ({ name, topic }: { name: string; topic: string }): ConsumerNames => ({
  topic,
  retryTopic: retryTopicOf(topic),
  dlqTopic: dlqTopicOf(topic),
  groupId: `callbridge.${name}`,
  retryGroupId: `callbridge.${name}.retry`,
})
