/**
 * @module platform/bus/deliver
 * One delivery, as both adapters do it: call the handler in its CONSUMER span; on rejection log,
 * wait `retryDelayMs` and call it again with the same message, so later messages of the
 * partition wait and order is kept. Only a stop ends the retries (the offset then stays
 * uncommitted and the message goes to the next owner of the partition).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { BusLogger } from './logger.ts'
import type { BusMessage, MessageHandler } from './port.ts'
import { tracedDelivery } from './trace.ts'

/** Default pause before a message whose handler rejected is delivered again. */
export const DEFAULT_RETRY_DELAY_MS = 1000

export interface DeliveryOptions {
  /** `messaging.system` of the CONSUMER span. */
  readonly system: string
  readonly groupId: string
  readonly handler: MessageHandler
  readonly retryDelayMs: number
  /** Aborted when the subscription stops or loses the partition. */
  readonly signal: AbortSignal
  readonly logger: BusLogger
  /** Runs before each redelivery (Kafka: a heartbeat, which throws when the group rebalances). */
  readonly beforeRetry?: () => Promise<void>
}

/** Resolves false when the signal aborted the wait, true after the full delay. */
export const pause = async (ms: number, signal: AbortSignal): Promise<boolean> => {
  if (signal.aborted) return false
  try {
    await sleep(ms, undefined, { signal })
    return true
  } catch {
    return false
  }
}

/**
 * Delivers `message` until its handler resolves (true) or the signal aborts (false). The handler
 * gets the signal; a call running when it aborts is awaited, not interrupted. A rejection of
 * `beforeRetry` is passed on.
 */
export const deliverUntilHandled = async (
  message: BusMessage,
  options: DeliveryOptions,
): Promise<boolean> => {
  const { system, groupId, handler, retryDelayMs, signal, logger } = options
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) return false
    try {
      await tracedDelivery(system, groupId, message, handler, { signal })
      return true
    } catch (error) {
      // A handler giving up because of the stop is not a failure worth a warning.
      if (signal.aborted) return false
      logger.warn(
        {
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          groupId,
          attempt,
          retryDelayMs,
          err: error,
        },
        'bus handler rejected; the message will be delivered again',
      )
      if (!(await pause(retryDelayMs, signal))) return false
      await options.beforeRetry?.()
    }
  }
}
