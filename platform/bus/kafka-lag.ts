/**
 * @module platform/bus/kafka-lag
 * Consumer lag on Kafka from the admin API: each partition's low and high watermarks
 * (fetchTopicOffsets) against the group's committed offsets (fetchOffsets).
 */
import type { Admin } from 'kafkajs'
import type { PartitionLag } from './port.ts'

/** The group's lag on each partition of `topic`; undefined when the topic does not exist. */
export const fetchLag = async (
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<PartitionLag[] | undefined> => {
  // Checked first: offset requests for a missing topic retry for a long time before failing.
  if (!(await admin.listTopics()).includes(topic)) return undefined
  const [ends, groups] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ])
  const committed = new Map(
    (groups.find((group) => group.topic === topic)?.partitions ?? []).map((p) => [
      p.partition,
      p.offset,
    ]),
  )
  return ends
    .map(({ partition, low, high }) => {
      const offset = committed.get(partition)
      // kafkajs reports "-1" for a partition the group never committed.
      const position = offset === undefined || BigInt(offset) < 0n ? null : offset
      const from = position === null ? BigInt(low) : BigInt(position)
      const lag = BigInt(high) > from ? Number(BigInt(high) - from) : 0
      return { partition, start: low, end: high, committed: position, lag }
    })
    .toSorted((a, b) => a.partition - b.partition)
}
