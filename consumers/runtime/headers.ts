/**
 * @module consumers/runtime/headers
 * The headers the runtime adds to messages it republishes. Every one starts with `x-retry-`,
 * `x-replay-` or `x-dlq-`; everything else (`ce_*`, `traceparent`, `tracestate`, ...) is the
 * event's own and travels unchanged through retries, the DLQ and replays.
 */
import { z } from 'zod'
import type { BusHeaders } from '../../platform/bus/port.ts'

/** Header names used by the runtime. */
export const runtimeHeaders = {
  /** On `<topic>.retry`: the consumer whose retry worker runs this message (the others skip it). */
  retryFor: 'x-retry-for',
  /** On `<topic>.retry`: the attempt this delivery is (2 on the first retry). */
  retryAttempt: 'x-retry-attempt',
  /** On `<topic>.retry`: when the attempt is due, ms since the epoch. */
  retryDueAt: 'x-retry-due-at',
  /** On `<topic>.retry`: the error message of the previous attempt (truncated). */
  retryError: 'x-retry-error',
  /** On `<topic>.retry`: when the first attempt failed, ms since the epoch. */
  retryFirstFailedAt: 'x-retry-first-failed-at',
  /** On `<topic>.retry`: where the message was first consumed, `<topic>/<partition>/<offset>`. */
  retryOrigin: 'x-retry-origin',
  /** On `<topic>.retry`: the original message's timestamp, ms since the epoch. */
  retryOriginTimestamp: 'x-retry-origin-timestamp',
  /** On `<topic>.retry`: set when the original message had no key. */
  retryNullKey: 'x-retry-null-key',
  /** On a replayed message: the only consumer that handles it (the others skip it). */
  replayFor: 'x-replay-for',
  /** On a replayed message: the DLQ entry it came from, `<dlq topic>/<partition>/<offset>`. */
  replayOf: 'x-replay-of',
  /** On `<topic>.dlq`: the consumer that parked the message. */
  dlqConsumer: 'x-dlq-consumer',
  /** On `<topic>.dlq`: why it was parked (schema, permanent, exhausted). */
  dlqReason: 'x-dlq-reason',
} as const

const runtimePrefixes = ['x-retry-', 'x-replay-', 'x-dlq-'] as const

/** The event's own headers: all but the runtime's. */
export const originalHeaders = (headers: BusHeaders): BusHeaders => {
  const result: BusHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!runtimePrefixes.some((prefix) => name.startsWith(prefix))) result[name] = value
  }
  return result
}

/** Where a message was first consumed. */
export interface Origin {
  readonly topic: string
  readonly partition: number
  readonly offset: string
  readonly timestamp: number
}

/** `<topic>/<partition>/<offset>`. */
export const formatOrigin = ({ topic, partition, offset }: Omit<Origin, 'timestamp'>): string =>
  `${topic}/${partition}/${offset}`

const epochMs = z.coerce.number().int().nonnegative()
const originText = z
  .string()
  .regex(/^.+\/\d+\/\d+$/)
  .transform((text) => {
    const [offset = '', partition = '', ...topic] = text.split('/').reverse()
    return { topic: topic.reverse().join('/'), partition: Number(partition), offset }
  })

/** The retry metadata of a message on `<topic>.retry`, parsed. */
export const RetryHeaders = z
  .looseObject({
    [runtimeHeaders.retryFor]: z.string().min(1),
    [runtimeHeaders.retryAttempt]: z.coerce.number().int().min(2),
    [runtimeHeaders.retryDueAt]: epochMs,
    [runtimeHeaders.retryError]: z.string().optional(),
    [runtimeHeaders.retryFirstFailedAt]: epochMs,
    [runtimeHeaders.retryOrigin]: originText,
    [runtimeHeaders.retryOriginTimestamp]: epochMs,
    [runtimeHeaders.retryNullKey]: z.literal('1').optional(),
  })
  .transform((headers) => ({
    consumer: headers[runtimeHeaders.retryFor],
    attempt: headers[runtimeHeaders.retryAttempt],
    dueAt: headers[runtimeHeaders.retryDueAt],
    firstFailedAt: headers[runtimeHeaders.retryFirstFailedAt],
    nullKey: headers[runtimeHeaders.retryNullKey] === '1',
    origin: {
      ...headers[runtimeHeaders.retryOrigin],
      timestamp: headers[runtimeHeaders.retryOriginTimestamp],
    } satisfies Origin,
  }))
export type RetryHeaders = z.infer<typeof RetryHeaders>

/** Longest error text carried in a header. */
const MAX_ERROR_HEADER = 1_000

/** The headers of a message going to `<topic>.retry` for its next attempt. */
export const retryHeaders = (
  event: BusHeaders,
  retry: {
    consumer: string
    attempt: number
    dueAt: number
    error: string
    firstFailedAt: number
    origin: Origin
    nullKey: boolean
  },
): BusHeaders => ({
  ...event,
  [runtimeHeaders.retryFor]: retry.consumer,
  [runtimeHeaders.retryAttempt]: String(retry.attempt),
  [runtimeHeaders.retryDueAt]: String(retry.dueAt),
  [runtimeHeaders.retryError]: retry.error.slice(0, MAX_ERROR_HEADER),
  [runtimeHeaders.retryFirstFailedAt]: String(retry.firstFailedAt),
  [runtimeHeaders.retryOrigin]: formatOrigin(retry.origin),
  [runtimeHeaders.retryOriginTimestamp]: String(retry.origin.timestamp),
  ...(retry.nullKey ? { [runtimeHeaders.retryNullKey]: '1' } : {}),
})
