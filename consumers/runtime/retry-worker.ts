/**
 * @module consumers/runtime/retry-worker
 * The handler of a consumer's retry subscription on `<topic>.retry` (group
 * `callbridge.<name>.retry`): skips messages meant for other consumers of the topic, waits until
 * the message is due and delivers it again. The wait is capped at the longest backoff and ends
 * early when the subscription stops or loses the partition; the message then stays uncommitted.
 */
import { pause } from '../../platform/bus/deliver.ts'
import type { MessageHandler } from '../../platform/bus/port.ts'
import { formatIssues } from '../../schemas/issues.ts'
import { RetryHeaders, runtimeHeaders } from './headers.ts'
import type { Processor } from './processor.ts'

export interface RetryWorkerOptions {
  /** The consumer's name: only messages whose `x-retry-for` names it are run. */
  readonly name: string
  readonly processor: Processor
  readonly now: () => number
  /** Longest wait for a due time; a message due later (clock skew) runs after this. */
  readonly maxWaitMs: number
}

/** Thrown when a stop interrupts the wait: the bus leaves the message for the next owner. */
class RetryInterrupted extends Error {
  override readonly name = 'RetryInterrupted'
}

/** The retry subscription's handler. */
export const retryHandler =
  ({ name, processor, now, maxWaitMs }: RetryWorkerOptions): MessageHandler =>
  async (message, { signal }) => {
    if (message.headers[runtimeHeaders.retryFor] !== name) return
    const parsed = RetryHeaders.safeParse(message.headers)
    if (!parsed.success) {
      const here = { topic: message.topic, partition: message.partition, offset: message.offset }
      return processor.parkInvalid(
        message,
        {
          attempt: 1,
          origin: { ...here, timestamp: message.timestamp },
          key: message.key,
          firstFailedAt: undefined,
        },
        `schema: retry headers: ${formatIssues(parsed.error)}`,
      )
    }
    const { attempt, dueAt, origin, firstFailedAt, nullKey } = parsed.data
    const waitMs = Math.min(Math.max(0, dueAt - now()), maxWaitMs)
    if (waitMs > 0 && !(await pause(waitMs, signal))) {
      throw new RetryInterrupted('stopped before the retry was due')
    }
    await processor.deliver(message, {
      attempt,
      origin,
      key: nullKey ? null : message.key,
      firstFailedAt,
    })
  }
