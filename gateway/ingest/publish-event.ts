/**
 * @module gateway/ingest/publish-event
 * The steps shared by both providers once an event is authentic: dedup, build the message
 * (CloudEvents headers, W3C trace context, the verified payload plus the receive time), make it
 * durable, and say what happened.
 */
import { context, propagation } from '@opentelemetry/api'
import type { BusHeaders } from '../../platform/bus/port.ts'
import { cloudEventHeaders } from '../../schemas/cloudevents.ts'
import type { IngestOutcome } from './outcome.ts'
import type { IngestPorts } from './ports.ts'

export interface AuthenticEvent {
  readonly provider: 'ringcentral' | 'zoho'
  readonly topic: string
  /** Kafka key: per-call (telephonySessionId) or per-record order. */
  readonly key: string
  readonly dedupKey: string
  readonly kind: string
  readonly ceSource: string
  readonly ceType: string
  /** The verified body exactly as received (valid JSON). */
  readonly payloadText: string
}

const headersFor = (ce: Parameters<typeof cloudEventHeaders>[0]): BusHeaders => {
  const headers: BusHeaders = { ...cloudEventHeaders(ce), 'content-type': 'application/json' }
  // Injected per message, in the request's context, so a batched send keeps each request's trace.
  propagation.inject(context.active(), headers)
  return headers
}

/**
 * The message value: `fields` plus `payload`, the body as received spliced in as it is (no
 * parse-and-stringify round trip, which would also cost CPU on every request).
 */
const valueWithPayload = (fields: Record<string, string>, payloadText: string): string =>
  `${JSON.stringify(fields).slice(0, -1)},"payload":${payloadText}}`

const durably = async (
  ports: IngestPorts,
  topic: string,
  key: string,
  value: string,
  headers: BusHeaders,
) => {
  const started = performance.now()
  const via = await ports.durable.publish(topic, { key, value, headers })
  ports.observer.published(topic, via, performance.now() - started)
  return via
}

/** Dedup, then publish an authentic, schema-valid event. */
export const publishAuthentic = async (
  ports: IngestPorts,
  event: AuthenticEvent,
): Promise<IngestOutcome> => {
  const receivedAt = ports.now().toISOString()
  const claim = await ports.dedup.claim(event.dedupKey)
  if (claim.status === 'duplicate') return { outcome: 'duplicate', dedupKey: event.dedupKey }
  if (claim.status === 'fail-open') ports.observer.dedupFailOpen(claim.error)
  const value = valueWithPayload(
    {
      provider: event.provider,
      kind: event.kind,
      receivedAt,
      dedupKey: event.dedupKey,
    },
    event.payloadText,
  )
  const headers = headersFor({
    id: event.dedupKey,
    source: event.ceSource,
    type: event.ceType,
    time: receivedAt,
  })
  try {
    const via = await durably(ports, event.topic, event.key, value, headers)
    await claim.commit().catch(() => {})
    return { outcome: 'accepted', dedupKey: event.dedupKey, via }
  } catch (error) {
    await claim.release().catch(() => {})
    return { outcome: 'unavailable', error: (error as Error).message }
  }
}

export interface InvalidEvent {
  readonly provider: 'ringcentral' | 'zoho'
  readonly topic: string
  readonly key: string
  readonly error: string
  readonly payloadText: string
  readonly ceSource: string
}

/** Parks an authentic event that failed its schema on the `.invalid` topic, with the error. */
export const publishInvalid = async (
  ports: IngestPorts,
  event: InvalidEvent,
): Promise<IngestOutcome> => {
  const receivedAt = ports.now().toISOString()
  const value = valueWithPayload(
    { provider: event.provider, receivedAt, error: event.error },
    event.payloadText,
  )
  const headers = headersFor({
    id: `invalid:${event.provider}:${crypto.randomUUID()}`,
    source: event.ceSource,
    type: `${event.provider}.invalid`,
    time: receivedAt,
  })
  try {
    const via = await durably(ports, event.topic, event.key, value, headers)
    return { outcome: 'invalid', error: event.error, via }
  } catch (error) {
    return { outcome: 'unavailable', error: (error as Error).message }
  }
}
