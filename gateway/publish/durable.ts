/**
 * @module gateway/publish/durable
 * Makes an event durable before the gateway answers: Kafka (acks=all, through the group-commit
 * batcher) within `budgetMs`, else the local spool (appended and fsynced). While the spool holds
 * anything, new events go to the spool too, so the drainer replays everything to Kafka in the
 * order it was accepted. A publish that timed out may still reach Kafka later and then be replayed
 * from the spool as well: Kafka receives an event at least once, with the same `ce_id`, and
 * consumers deduplicate on it.
 */
import type { OutgoingMessage } from '../../platform/bus/port.ts'
import type { Spool } from '../spool/index.ts'
import type { Batcher } from './batcher.ts'

export type DurableVia = 'kafka' | 'spool'

export interface DurablePublisherOptions {
  readonly batcher: Batcher
  readonly spool: Spool
  /** How long an event may wait for Kafka's ack before it goes to the spool instead. */
  readonly budgetMs: number
  /** Called when the spool takes over (to wake the drainer and log). */
  readonly onSpooled?: (reason: string) => void
}

class BudgetExceeded extends Error {
  override readonly name = 'BudgetExceeded'
}

const withinBudget = <T>(work: Promise<T>, budgetMs: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetExceeded(`no ack within ${budgetMs} ms`)), budgetMs)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

export const createDurablePublisher = ({
  batcher,
  spool,
  budgetMs,
  onSpooled,
}: DurablePublisherOptions) => {
  const toSpool = async (
    topic: string,
    message: OutgoingMessage,
    reason: string,
  ): Promise<DurableVia> => {
    const value =
      typeof message.value === 'string'
        ? message.value
        : Buffer.from(message.value).toString('utf8')
    await spool.append([{ topic, key: message.key, value, headers: { ...message.headers } }])
    onSpooled?.(reason)
    return 'spool'
  }

  /**
   * Resolves once the message is durable, saying where. Rejects only when Kafka AND the spool
   * both failed (the disk is broken): that is the one case the gateway answers 5xx.
   */
  const publish = async (topic: string, message: OutgoingMessage): Promise<DurableVia> => {
    if (spool.stats().records > 0) return toSpool(topic, message, 'spool not yet drained')
    try {
      await withinBudget(batcher.send(topic, message), budgetMs)
      return 'kafka'
    } catch (error) {
      const reason =
        error instanceof BudgetExceeded ? error.message : `kafka: ${(error as Error).message}`
      return toSpool(topic, message, reason)
    }
  }

  return { publish }
}

export type DurablePublisher = ReturnType<typeof createDurablePublisher>
