/**
 * @module consumers/runtime/processor
 * One delivery of one message to a consumer, first or retried: decode and validate the value,
 * run the handler with its context, and on failure publish the message to `<topic>.retry` (due
 * after the backoff) or park it in `<topic>.dlq`. It resolves once the outcome is durable, so the
 * bus may commit; it rejects only when that publish failed (the bus then delivers it again).
 */
import type { Bus, BusMessage } from '../../platform/bus/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import { formatIssues } from '../../schemas/issues.ts'
import { retryDelayMs } from './backoff.ts'
import {
  type ConsumerDefinition,
  type ConsumerNames,
  PermanentError,
  type ResolvedPolicy,
} from './definition.ts'
import {
  type DlqEntry,
  type DlqError,
  type DlqReason,
  describeError,
  encodeValue,
} from './dlq-schema.ts'
import {
  formatOrigin,
  type Origin,
  originalHeaders,
  retryHeaders,
  runtimeHeaders,
} from './headers.ts'
import type { ConsumerMetrics } from './metrics.ts'

/** Which delivery of the message this is. */
export interface Delivery {
  readonly attempt: number
  /** Where the message was first consumed (for a retry: on the original topic). */
  readonly origin: Origin
  readonly key: string | null
  /** When the first attempt failed; undefined on the first delivery. */
  readonly firstFailedAt: number | undefined
}

export interface ProcessorOptions<T> {
  readonly bus: Bus
  readonly definition: ConsumerDefinition<T>
  readonly policy: ResolvedPolicy
  readonly names: ConsumerNames
  /** The consumer's logger (role bound). */
  readonly logger: Logger
  readonly metrics: ConsumerMetrics
  readonly now: () => number
  readonly random: () => number
}

/** What is needed to park a message. */
export interface Parking {
  readonly message: BusMessage
  readonly delivery: Delivery
  readonly reason: DlqReason
  readonly error: DlqError
  /** Handler runs made. */
  readonly attempts: number
}

type Decoded<T> =
  | { readonly ok: true; readonly event: T }
  | { readonly ok: false; readonly error: string }

const decode = async <T>(definition: ConsumerDefinition<T>, value: Buffer): Promise<Decoded<T>> => {
  let json: unknown
  try {
    json = JSON.parse(value.toString('utf8'))
  } catch (error) {
    return { ok: false, error: `schema: the value is not JSON (${describeError(error).message})` }
  }
  let result: Awaited<ReturnType<typeof definition.schema.safeParseAsync>>
  try {
    result = await definition.schema.safeParseAsync(json)
  } catch (error) {
    // A refinement or transform that throws: as invalid as a failed check.
    return { ok: false, error: `schema: ${describeError(error).message}` }
  }
  return result.success
    ? { ok: true, event: result.data }
    : { ok: false, error: `schema: ${formatIssues(result.error)}` }
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** The delivery function of one consumer, shared by its main subscription and retry worker. */
export const createProcessor = <T>(options: ProcessorOptions<T>) => {
  const { bus, definition, policy, names, logger, metrics, now, random } = options
  const { name } = definition

  /** Publishes the message to `<topic>.dlq` with the reason. */
  const park = async ({ message, delivery, reason, error, attempts }: Parking): Promise<void> => {
    const headers = originalHeaders(message.headers)
    const parkedAt = now()
    const { origin } = delivery
    const entry: DlqEntry = {
      version: 1,
      consumer: name,
      reason,
      error,
      attempts,
      firstFailedAt: iso(delivery.firstFailedAt ?? parkedAt),
      parkedAt: iso(parkedAt),
      original: {
        topic: origin.topic,
        partition: origin.partition,
        offset: origin.offset,
        key: delivery.key,
        ...encodeValue(message.value),
        headers,
        timestamp: origin.timestamp,
      },
    }
    await bus.publish(names.dlqTopic, [
      {
        key: delivery.key ?? '',
        value: JSON.stringify(entry),
        headers: {
          ...headers,
          [runtimeHeaders.dlqConsumer]: name,
          [runtimeHeaders.dlqReason]: reason,
        },
      },
    ])
  }

  const failed = async (message: BusMessage, delivery: Delivery, error: unknown, log: Logger) => {
    const { attempt } = delivery
    const failedAt = now()
    if (error instanceof PermanentError || attempt >= policy.maxAttempts) {
      const reason = error instanceof PermanentError ? 'permanent' : 'exhausted'
      await park({ message, delivery, reason, error: describeError(error), attempts: attempt })
      metrics.count(name, 'dlq')
      log.error(
        { err: error, reason, attempts: attempt },
        'handler failed; event parked in the DLQ',
      )
      return
    }
    const delayMs = retryDelayMs(attempt, policy, random)
    await bus.publish(names.retryTopic, [
      {
        key: delivery.key ?? '',
        value: message.value,
        headers: retryHeaders(originalHeaders(message.headers), {
          consumer: name,
          attempt: attempt + 1,
          dueAt: failedAt + delayMs,
          error: describeError(error).message,
          firstFailedAt: delivery.firstFailedAt ?? failedAt,
          origin: delivery.origin,
          nullKey: delivery.key === null,
        }),
      },
    ])
    metrics.count(name, 'retry')
    // An error that says it is expected (e.g. "the call log is not there yet") is routine: info.
    // Anything else is a warning.
    const expected = error instanceof Error && (error as { expected?: unknown }).expected === true
    log[expected ? 'info' : 'warn'](
      { err: error, next_attempt: attempt + 1, retry_in_ms: delayMs },
      'handler failed; retry scheduled',
    )
  }

  const contextOf = (message: BusMessage, delivery: Delivery) => {
    const headers = originalHeaders(message.headers)
    const correlationId = headers['ce_id'] ?? formatOrigin(delivery.origin)
    const log = logger.child({ correlation_id: correlationId, attempt: delivery.attempt })
    return { headers, correlationId, log }
  }

  /** Parks a message that cannot be delivered as it is (`problem` starts with `schema: `). */
  const parkInvalid = async (message: BusMessage, delivery: Delivery, problem: string) => {
    const error = { name: 'SchemaError', message: problem }
    await park({ message, delivery, reason: 'schema', error, attempts: delivery.attempt - 1 })
    metrics.count(name, 'invalid')
    contextOf(message, delivery).log.error({ problem }, 'invalid event parked in the DLQ')
  }

  /** Delivers `message` to the handler and settles the outcome. */
  const deliver = async (message: BusMessage, delivery: Delivery): Promise<void> => {
    const decoded = await decode(definition, message.value)
    if (!decoded.ok) return parkInvalid(message, delivery, decoded.error)
    const { headers, correlationId, log } = contextOf(message, delivery)
    const endTimer = metrics.time(name)
    try {
      await definition.handle(decoded.event, {
        key: delivery.key,
        headers,
        attempt: delivery.attempt,
        correlationId,
        logger: log,
      })
    } catch (error) {
      endTimer()
      await failed(message, delivery, error, log)
      return
    }
    endTimer()
    metrics.count(name, 'ok')
  }

  return { deliver, parkInvalid }
}

/** The delivery functions of one consumer. */
export type Processor = ReturnType<typeof createProcessor>
