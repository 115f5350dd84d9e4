/**
 * @module gateway/ingest/zoho
 * POST /webhooks/zoho: Zoho CRM notification callbacks. The token travels in the body, so the
 * body is parsed before it is verified; nothing is published before verification.
 */
import { zohoCloudEventSource, zohoCloudEventType } from '../../schemas/cloudevents.ts'
import { zohoDedupKey } from '../../schemas/dedup-key.ts'
import { topicNames, zohoMessageKey } from '../../schemas/topics.ts'
import { parseZohoNotification } from '../../schemas/zoho/notification.ts'
import { verifyZoho } from '../verify/zoho.ts'
import { isJsonContentType, parseJsonBody } from './body.ts'
import type { IngestOutcome } from './outcome.ts'
import type { IngestPorts, IngestRequest } from './ports.ts'
import { publishAuthentic, publishInvalid } from './publish-event.ts'

export interface ZohoIngestOptions {
  /** The configured token (ZOHO_WEBHOOK_TOKEN), valid on every channel. */
  readonly configToken?: string
  /** Tokens the subscription keeper registered for a channel id. */
  readonly channelTokens: (channelId: string) => Promise<readonly string[]>
  /** When set, callbacks must carry `?secret=` with this value (put in notify_url). */
  readonly querySecret?: string
}

const field = (json: unknown, name: string): unknown =>
  typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[name] : undefined

export const ingestZoho = async (
  ports: IngestPorts,
  options: ZohoIngestOptions,
  request: IngestRequest,
): Promise<IngestOutcome> => {
  const retryAfterS = await ports.throttle.blockedFor(request.clientAddress)
  if (retryAfterS !== null) return { outcome: 'throttled', retryAfterS }

  const contentType = request.header('content-type') ?? ''
  if (!isJsonContentType(contentType)) return { outcome: 'unsupported_media_type', contentType }
  const body = parseJsonBody(request.body)
  if (!body.ok) return { outcome: 'malformed_json', error: body.error }

  const channelId = field(body.json, 'channel_id')
  const channelTokens =
    typeof channelId === 'string' || typeof channelId === 'number'
      ? await options.channelTokens(String(channelId)).catch(() => [])
      : []
  const validTokens = options.configToken ? [...channelTokens, options.configToken] : channelTokens
  const givenSecret = request.query['secret']
  const verification = verifyZoho({
    token: field(body.json, 'token'),
    validTokens,
    ...(options.querySecret !== undefined ? { querySecret: options.querySecret } : {}),
    ...(givenSecret !== undefined ? { givenSecret } : {}),
  })
  if (!verification.ok) {
    await ports.throttle.failed(request.clientAddress)
    return { outcome: 'unauthorized', reason: verification.reason }
  }

  const parsed = parseZohoNotification(body.json)
  if (!parsed.ok) {
    return publishInvalid(ports, {
      provider: 'zoho',
      topic: topicNames.zohoWebhooksInvalid,
      key: String(channelId ?? 'unknown'),
      error: parsed.error,
      payloadText: body.text,
      ceSource: '/zoho/crm',
    })
  }
  const notification = parsed.notification
  return publishAuthentic(ports, {
    provider: 'zoho',
    topic: topicNames.zohoWebhooks,
    key: zohoMessageKey(notification),
    dedupKey: zohoDedupKey(notification),
    kind: parsed.kind,
    ceSource: zohoCloudEventSource(notification),
    ceType: zohoCloudEventType(notification),
    payloadText: body.text,
  })
}
