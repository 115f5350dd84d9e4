/**
 * @module gateway/ingest/ports
 * What the ingest core needs from the outside world, passed in by the gateway role.
 */
import type { Dedup } from '../dedup/dedup.ts'
import type { DurablePublisher } from '../publish/durable.ts'
import type { AuthThrottle } from './auth-throttle.ts'

export interface IngestObserver {
  /** The kv store failed and dedup was skipped for this event (published anyway). */
  dedupFailOpen(error: unknown): void
  /** An event became durable, and how long that took. */
  published(topic: string, via: 'kafka' | 'spool', ms: number): void
}

export interface IngestPorts {
  readonly durable: DurablePublisher
  readonly dedup: Dedup
  readonly throttle: AuthThrottle
  readonly observer: IngestObserver
  readonly now: () => Date
}

/** The request as the core sees it: already read under the size cap. */
export interface IngestRequest {
  header(name: string): string | undefined
  readonly query: Readonly<Record<string, string>>
  readonly body: Uint8Array
  readonly clientAddress: string
}
