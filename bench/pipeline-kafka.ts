/**
 * Kafka side of bench:pipeline: a private broker on free ports (clean topics and groups per run),
 * the topics as the product creates them (3 partitions), publishing calls.completed the way
 * publishEvent does (JSON value, CloudEvents headers, key = telephonySessionId) in one produce
 * request, waiting until the lead-matcher group is stable, and an observer of calls.matched and
 * of calls.completed.retry / .dlq.
 */
import { AssignerProtocol, Kafka, logLevel, Partitioners } from 'kafkajs'
import { startLocalBrokerOnFreePorts } from '../gateway/testing/local-broker.ts'
import { createKafkaBus } from '../platform/bus/kafka.ts'
import { type CallCompleted, callTopics } from '../schemas/calls.ts'
import { cloudEventHeaders } from '../schemas/cloudevents.ts'
import { freePort } from '../test/free-port.ts'

const completed = callTopics.callsCompleted.name
export const pipelineTopics = {
  completed,
  retry: `${completed}.retry`,
  dlq: `${completed}.dlq`,
  matched: callTopics.callsMatched.name,
} as const

export const startPrivateBroker = () => startLocalBrokerOnFreePorts(freePort)

/** Creates the topics with the product's bus (3 partitions each, as the roles would). */
export const createTopics = async (brokers: readonly string[]): Promise<void> => {
  const bus = createKafkaBus({ brokers, clientId: 'bench-pipeline-admin' })
  await bus.ensureTopics(Object.values(pipelineTopics).map((name) => ({ name })))
  await bus.close()
}

/**
 * Publishes every call in one produce request; resolves with the time just before sending (the
 * producer is connected first). Key, value and headers are those publishEvent
 * (consumers/shared/publish.ts) gives a calls.completed event.
 */
export const publishCalls = async (
  brokers: readonly string[],
  calls: readonly CallCompleted[],
): Promise<number> => {
  const kafka = new Kafka({
    clientId: 'bench-pipeline-producer',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  })
  // The product's producer settings (platform/bus/kafka.ts): idempotent, acks=all, murmur2 keys.
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  })
  const messages = calls.map((call) => ({
    key: call.telephonySessionId,
    value: JSON.stringify(call),
    headers: {
      ...cloudEventHeaders({
        id: `call:${call.telephonySessionId}`,
        source: '/callbridge/call-tracker',
        type: 'callbridge.call.completed',
        time: new Date().toISOString(),
      }),
      'content-type': 'application/json',
    },
  }))
  await producer.connect()
  const startedAt = Date.now()
  await producer.send({ topic: completed, acks: -1, messages })
  await producer.disconnect()
  return startedAt
}

/** Waits until `groupId` is Stable with `members` members that all hold partitions. */
export const waitForStableGroup = async (
  brokers: readonly string[],
  groupId: string,
  members: number,
  timeoutMs = 180_000,
): Promise<void> => {
  const kafka = new Kafka({
    clientId: 'bench-pipeline-group',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  })
  const admin = kafka.admin()
  await admin.connect()
  const deadline = Date.now() + timeoutMs
  try {
    for (;;) {
      const { groups } = await admin.describeGroups([groupId])
      const group = groups[0]
      const assigned = (group?.members ?? []).filter((m) => {
        const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment)
        return Object.values(assignment?.assignment ?? {}).some((p) => p.length > 0)
      })
      if (
        group?.state === 'Stable' &&
        group.members.length === members &&
        assigned.length === members
      )
        return
      if (Date.now() > deadline) {
        throw new Error(
          `${groupId}: ${group?.state} with ${group?.members.length} members after ${timeoutMs} ms`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  } finally {
    await admin.disconnect()
  }
}

export interface Observed {
  readonly topic: string
  readonly session: string
  /** The message's timestamp (CreateTime: when the replica published it), ms. */
  readonly timestamp: number
}

/** Reads calls.matched, calls.completed.retry and .dlq from the beginning, into `seen`. */
export const observe = async (brokers: readonly string[]) => {
  const kafka = new Kafka({
    clientId: 'bench-pipeline-observer',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  })
  const consumer = kafka.consumer({
    groupId: `bench-pipeline-observer-${Date.now()}`,
    maxWaitTimeInMs: 250,
  })
  const seen: Observed[] = []
  await consumer.connect()
  await consumer.subscribe({
    topics: [pipelineTopics.matched, pipelineTopics.retry, pipelineTopics.dlq],
    fromBeginning: true,
  })
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        seen.push({
          topic: batch.topic,
          session: message.key?.toString('utf8') ?? '',
          timestamp: Number(message.timestamp),
        })
      }
    },
  })
  const count = (topic: string) =>
    new Set(seen.filter((o) => o.topic === topic).map((o) => o.session)).size
  return {
    seen,
    count,
    /** Resolves once matched + parked sessions reach `expected` (then a 2 s settle), or at the timeout. */
    until: async (expected: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs
      while (count(pipelineTopics.matched) + count(pipelineTopics.dlq) < expected) {
        if (Date.now() > deadline) return false
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      return true
    },
    stop: () => consumer.disconnect(),
  }
}
