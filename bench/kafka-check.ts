/**
 * After a benchmark: reads a topic from the beginning and checks that every id answered 2xx is
 * there exactly once (missing = lost, more than once = duplicated). Reads with a plain kafkajs
 * consumer in batches (no per-message commit): it is a check, not a consumer of record.
 */
import { Kafka, logLevel } from 'kafkajs'

export interface DeliveryCheck {
  readonly expected: number
  readonly found: number
  readonly missing: number
  readonly duplicated: number
}

export const checkDelivery = async (
  brokers: readonly string[],
  topic: string,
  expectedIds: ReadonlySet<string>,
  idPrefix: string,
  { settleMs = 3_000, timeoutMs = 120_000 } = {},
): Promise<DeliveryCheck> => {
  const kafka = new Kafka({
    clientId: 'bench-check',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  })
  const consumer = kafka.consumer({ groupId: `bench-check-${idPrefix}-${Date.now()}` })
  const seen = new Map<string, number>()
  let lastGrowth = Date.now()
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const id = message.headers?.['ce_id']?.toString()
        if (!id?.startsWith(`rc:${idPrefix}`)) continue
        seen.set(id, (seen.get(id) ?? 0) + 1)
        lastGrowth = Date.now()
      }
    },
  })
  const deadline = Date.now() + timeoutMs
  const allSeen = () => [...expectedIds].every((id) => seen.has(id))
  while (Date.now() < deadline && !(allSeen() && Date.now() - lastGrowth > settleMs)) {
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await consumer.disconnect()
  const missing = [...expectedIds].filter((id) => !seen.has(id)).length
  const duplicated = [...seen.values()].filter((n) => n > 1).length
  return { expected: expectedIds.size, found: seen.size, missing, duplicated }
}
