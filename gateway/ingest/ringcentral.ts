/**
 * @module gateway/ingest/ringcentral
 * POST /webhooks/ringcentral, as a function of the request: handshake, throttle, token, content
 * type, JSON, schema, then the shared publish steps. Pure apart from its ports.
 */
import {
  ringCentralCloudEventSource,
  ringCentralCloudEventType,
} from '../../schemas/cloudevents.ts'
import { ringCentralDedupKey } from '../../schemas/dedup-key.ts'
import { parseRingCentralNotification } from '../../schemas/ringcentral/classify.ts'
import { ringCentralMessageKey, topicNames } from '../../schemas/topics.ts'
import { verifyRingCentral } from '../verify/ringcentral.ts'
import { isJsonContentType, parseJsonBody } from './body.ts'
import type { IngestOutcome } from './outcome.ts'
import type { IngestPorts, IngestRequest } from './ports.ts'
import { publishAuthentic, publishInvalid } from './publish-event.ts'

export interface RingCentralIngestOptions {
  /** Accepted Verification-Token values: current first, then previous ones. */
  readonly tokens: readonly string[]
}

const uuidOf = (json: unknown): string | undefined => {
  const uuid =
    typeof json === 'object' && json !== null ? (json as { uuid?: unknown }).uuid : undefined
  return typeof uuid === 'string' && uuid.length > 0 ? uuid : undefined
}

export const ingestRingCentral = async (
  ports: IngestPorts,
  { tokens }: RingCentralIngestOptions,
  request: IngestRequest,
): Promise<IngestOutcome> => {
  // Subscription creation: answered whatever the state of Kafka or Redis, within RingCentral's
  // 3000 ms and 1024-byte limits.
  const validationToken = request.header('validation-token')
  if (validationToken !== undefined && request.body.byteLength === 0) {
    return { outcome: 'handshake', validationToken }
  }

  const retryAfterS = await ports.throttle.blockedFor(request.clientAddress)
  if (retryAfterS !== null) return { outcome: 'throttled', retryAfterS }
  const verification = verifyRingCentral(request.header('verification-token'), tokens)
  if (!verification.ok) {
    await ports.throttle.failed(request.clientAddress)
    return { outcome: 'unauthorized', reason: verification.reason }
  }

  const contentType = request.header('content-type') ?? ''
  if (!isJsonContentType(contentType)) return { outcome: 'unsupported_media_type', contentType }
  const body = parseJsonBody(request.body)
  if (!body.ok) return { outcome: 'malformed_json', error: body.error }

  const parsed = parseRingCentralNotification(body.json)
  if (!parsed.ok) {
    return publishInvalid(ports, {
      provider: 'ringcentral',
      topic: topicNames.ringcentralWebhooksInvalid,
      key: uuidOf(body.json) ?? 'unknown',
      error: parsed.error,
      payloadText: body.text,
      ceSource: '/ringcentral',
    })
  }
  const { envelope, kind } = parsed
  return publishAuthentic(ports, {
    provider: 'ringcentral',
    topic: topicNames.ringcentralWebhooks,
    key: ringCentralMessageKey(envelope),
    dedupKey: ringCentralDedupKey(envelope),
    kind,
    ceSource: ringCentralCloudEventSource(envelope),
    ceType: ringCentralCloudEventType(kind),
    // The body as received, not re-serialised: unknown fields, key order and number literals
    // (ids beyond 2^53 too) reach Kafka intact.
    payloadText: body.text,
  })
}
