/**
 * After a benchmark: reads a topic from the beginning and checks that every id answered 2xx is
 * there exactly once (missing = lost, more than once = duplicated).
 */
import { createKafkaBus } from '../platform/bus/kafka.ts'

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
  { settleMs = 5_000, timeoutMs = 120_000 } = {},
): Promise<DeliveryCheck> => {
  const bus = createKafkaBus({ brokers, clientId: 'bench-check' })
  const seen = new Map<string, number>()
  let lastGrowth = Date.now()
  const subscription = await bus.subscribe({
    groupId: `bench-check-${idPrefix}-${Date.now()}`,
    topics: [topic],
    fromBeginning: true,
    partitionsConcurrently: 3,
    handler: async (message) => {
      const id = message.headers['ce_id']
      if (!id?.startsWith(`rc:${idPrefix}`)) return
      seen.set(id, (seen.get(id) ?? 0) + 1)
      lastGrowth = Date.now()
    },
  })
  const deadline = Date.now() + timeoutMs
  const allSeen = () => [...expectedIds].every((id) => seen.has(id))
  while (Date.now() < deadline && !(allSeen() && Date.now() - lastGrowth > settleMs)) {
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await subscription.stop()
  await bus.close()
  const missing = [...expectedIds].filter((id) => !seen.has(id)).length
  const duplicated = [...seen.values()].filter((n) => n > 1).length
  return { expected: expectedIds.size, found: seen.size, missing, duplicated }
}
