/**
 * @module consumers/runtime/dlq-schema
 * The messages on `<topic>.dlq`. The value is a JSON `DlqEntry`: who parked the message, why,
 * after how many attempts, and the original message itself (topic, partition, offset, key,
 * value bytes, headers, timestamp), so a replay republishes exactly what was first consumed. The
 * headers are the event's own (`ce_*`, `traceparent`: the entry stays in the event's trace and
 * can be found by `ce_id`) plus `x-dlq-consumer` and `x-dlq-reason`.
 */
import { z } from 'zod'
import { runtimeHeaders } from './headers.ts'

/** Why a message was parked: its value failed the schema, the handler said so, or attempts ran out. */
export const DlqReason = z.enum(['schema', 'permanent', 'exhausted'])
export type DlqReason = z.infer<typeof DlqReason>

/** The last error: enough to diagnose without the logs. */
export const DlqError = z.object({
  name: z.string(),
  /** For schema failures: `schema: <path>: <problem>; ...`. */
  message: z.string(),
  /** The first lines of the stack. */
  stack: z.string().optional(),
  /** The message of the error's `cause`, when it has one. */
  cause: z.string().optional(),
})
export type DlqError = z.infer<typeof DlqError>

/** The message as the consumer first received it. */
export const DlqOriginal = z.object({
  topic: z.string().min(1),
  partition: z.number().int().nonnegative(),
  offset: z.string().regex(/^\d+$/),
  key: z.string().nullable(),
  /** The value bytes: UTF-8 text when they are valid UTF-8, else base64. */
  value: z.string(),
  valueEncoding: z.enum(['utf8', 'base64']),
  headers: z.record(z.string(), z.string()),
  /** Broker (or log) append time of the original, ms since the epoch. */
  timestamp: z.number(),
})
export type DlqOriginal = z.infer<typeof DlqOriginal>

/**
 * The value of a DLQ message.
 *
 * @example
 * ```ts
 * const entry = DlqEntry.parse(JSON.parse(message.value.toString('utf8')))
 * entry.original.headers.ce_id // the event id to replay with `callbridge dlq replay <topic> --id`
 * ```
 */
export const DlqEntry = z.object({
  version: z.literal(1),
  consumer: z.string().min(1),
  reason: DlqReason,
  error: DlqError,
  /** Handler runs made (0 for a schema failure: the handler never ran). */
  attempts: z.number().int().nonnegative(),
  firstFailedAt: z.iso.datetime(),
  parkedAt: z.iso.datetime(),
  original: DlqOriginal,
})
export type DlqEntry = z.infer<typeof DlqEntry>

/** The headers of a DLQ message (the event's own headers pass through). */
export const DlqHeaders = z.looseObject({
  [runtimeHeaders.dlqConsumer]: z.string().min(1),
  [runtimeHeaders.dlqReason]: DlqReason,
  ce_id: z.string().optional(),
  traceparent: z.string().optional(),
})
export type DlqHeaders = z.infer<typeof DlqHeaders>

/** Encodes value bytes for `DlqOriginal`: as text when that round-trips, else base64. */
export const encodeValue = (value: Buffer): Pick<DlqOriginal, 'value' | 'valueEncoding'> => {
  const text = value.toString('utf8')
  return Buffer.from(text, 'utf8').equals(value)
    ? { value: text, valueEncoding: 'utf8' }
    : { value: value.toString('base64'), valueEncoding: 'base64' }
}

/** The original value bytes of an entry. */
export const decodeValue = ({
  value,
  valueEncoding,
}: Pick<DlqOriginal, 'value' | 'valueEncoding'>) => Buffer.from(value, valueEncoding)

const STACK_LINES = 8

/** Describes a thrown value for the DLQ: name, message, the first stack lines, the cause. */
export const describeError = (error: unknown): DlqError => {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const { cause } = error
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack.split('\n').slice(0, STACK_LINES).join('\n') } : {}),
    ...(cause === undefined
      ? {}
      : { cause: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause) }),
  }
}
