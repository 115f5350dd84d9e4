/**
 * @module platform/bus/port
 * The event bus: durable, keyed, ordered per key. Kafka in production (kafka.ts), a durable local
 * log in one-process mode (embedded.ts). Both pass the same contract suite (contract.ts).
 */
import type { HealthCheck } from '../health/check.ts'

/** Message headers. Values are strings (CloudEvents `ce_*`, W3C `traceparent`, retry metadata). */
export type BusHeaders = Record<string, string>

export interface OutgoingMessage {
  /** Partitioning key: messages with the same key are delivered in publish order. */
  readonly key: string
  readonly value: string | Uint8Array
  readonly headers?: BusHeaders
}

export interface BusMessage {
  readonly topic: string
  readonly partition: number
  /** Position in the partition, as a decimal string (Kafka offsets exceed 2^53). */
  readonly offset: string
  readonly key: string | null
  readonly value: Buffer
  readonly headers: BusHeaders
  /** Broker (or log) append time, ms since the epoch. */
  readonly timestamp: number
}

/** What a handler gets besides the message. */
export interface DeliveryControl {
  /**
   * Aborted when the subscription stops or loses the partition (Kafka: a rebalance). A handler
   * that waits (a delayed retry) should give up then and reject: the message stays uncommitted
   * and goes to the partition's next owner. A handler that resolves counts as done.
   */
  readonly signal: AbortSignal
}

export type MessageHandler = (message: BusMessage, control: DeliveryControl) => Promise<void>

export interface SubscribeOptions {
  /** Consumer group: members of one group share the partitions; each message goes to one member. */
  readonly groupId: string
  readonly topics: readonly string[]
  /** Where a group with no committed offset starts. Default: the beginning (nothing is missed). */
  readonly fromBeginning?: boolean
  /** Partitions handled in parallel by this member. Default 1. Order per key is always kept. */
  readonly partitionsConcurrently?: number
  /**
   * Messages of DIFFERENT keys of one partition handled at once. Default 1: one message at a time
   * per partition. Messages of one key are always handled one after another, in offset order.
   * The committed offset never passes a message whose handler has not resolved: it is the
   * highest offset below which every message succeeded, so a restart redelivers the messages
   * from the first unfinished one on (including later ones that had already succeeded).
   */
  readonly keyConcurrency?: number
  /**
   * Called once per message (see keyConcurrency for what runs at once). The offset is committed
   * only after the returned promise resolves. A rejection means "not done": the message is
   * delivered again after `retryDelayMs`, holding back later messages of its key (and with
   * keyConcurrency 1, of its partition). consumers/runtime moves failures to retry topics instead.
   */
  readonly handler: MessageHandler
  readonly retryDelayMs?: number
}

export interface Subscription {
  /** Finishes the in-flight message, commits, leaves the group. Idempotent. */
  stop(): Promise<void>
}

export interface TopicSpec {
  readonly name: string
  readonly partitions?: number
}

/** Where a consumer group stands on one partition. Offsets are decimal strings. */
export interface PartitionLag {
  readonly partition: number
  /** The first offset still in the log (Kafka: the low watermark; embedded: 0). */
  readonly start: string
  /** The offset the next appended message gets (Kafka: the high watermark). */
  readonly end: string
  /** The group's committed position (the next offset it consumes), or null when it has none. */
  readonly committed: string | null
  /** Messages the group has still to consume: end − (committed ?? start). */
  readonly lag: number
}

export interface Bus {
  /**
   * Appends messages durably (Kafka: idempotent producer, acks=all) and resolves once all of them
   * are acknowledged; rejects if any is not. The active trace context is written to each message's
   * `traceparent` header.
   */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>
  /**
   * Joins the group and starts delivering. Each handler call runs inside a CONSUMER span that
   * continues the trace found in the message's `traceparent` header.
   */
  subscribe(options: SubscribeOptions): Promise<Subscription>
  /** Creates the topics that do not exist yet (existing ones are left as they are). */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>
  /**
   * The lag of `groupId` on every partition of `topic`, in partition order. Rejects when the topic
   * does not exist. Optional: test doubles may leave it out; both adapters implement it.
   */
  lag?(groupId: string, topic: string): Promise<readonly PartitionLag[]>
  readonly health: HealthCheck
  /** Stops every subscription and releases connections. */
  close(): Promise<void>
}
