/**
 * @module gateway/routes/webhooks
 * The two webhook endpoints: a thin adapter from HTTP to the ingest core. Body size is capped
 * before the body is read (Content-Length, then while streaming); the core returns an outcome;
 * `toResponse` turns it into the answer; one metric and, where useful, one log line per request.
 */
import { type Context, Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import type { Logger } from '../../platform/log/logger.ts'
import { RingCentralEnvelope } from '../../schemas/ringcentral/envelope.ts'
import { ZohoNotification } from '../../schemas/zoho/notification.ts'
import { type IngestOutcome, statusOf, toResponse } from '../ingest/outcome.ts'
import type { IngestPorts, IngestRequest } from '../ingest/ports.ts'
import { ingestRingCentral, type RingCentralIngestOptions } from '../ingest/ringcentral.ts'
import { ingestZoho, type ZohoIngestOptions } from '../ingest/zoho.ts'
import type { GatewayMetrics } from '../metrics.ts'
import { bodyCap } from './body-limit.ts'
import { clientAddress } from './client-address.ts'
import { webhookResponses } from './openapi-docs.ts'

export interface WebhookRoutesOptions {
  readonly ports: IngestPorts
  readonly ringcentral: RingCentralIngestOptions
  readonly zoho: ZohoIngestOptions
  readonly maxBodyBytes: number
  readonly trustProxy: boolean
  readonly metrics: GatewayMetrics
  readonly logger: Logger
}

type Ingest = (request: IngestRequest) => Promise<IngestOutcome>

export const webhookRoutes = (options: WebhookRoutesOptions) => {
  const { ports, maxBodyBytes, trustProxy, metrics, logger } = options
  const limit = bodyCap({
    maxBytes: maxBodyBytes,
    onTooLarge: (c) => {
      metrics.request(c.req.path, 'too_large')
      return toResponse(c, { outcome: 'too_large', limitBytes: maxBodyBytes })
    },
  })

  const handle = (route: string, ingest: Ingest) => async (c: Context) => {
    const body = new Uint8Array(await c.req.arrayBuffer())
    const outcome = await ingest({
      header: (name) => c.req.header(name),
      query: c.req.query(),
      body,
      clientAddress: clientAddress(c, trustProxy),
    })
    metrics.request(route, outcome.outcome)
    const status = statusOf(outcome)
    if (outcome.outcome === 'invalid' || outcome.outcome === 'unavailable') {
      logger.warn(
        { route, outcome: outcome.outcome, error: outcome.error },
        'webhook not published as-is',
      )
    } else if (status >= 400) {
      logger.info({ route, outcome: outcome.outcome, status }, 'webhook rejected')
    } else if (outcome.outcome === 'accepted' || outcome.outcome === 'duplicate') {
      logger.debug({ route, outcome: outcome.outcome, correlation_id: outcome.dedupKey }, 'webhook')
    }
    return toResponse(c, outcome)
  }

  return new Hono()
    .post(
      '/webhooks/ringcentral',
      describeRoute({
        tags: ['webhooks'],
        summary: 'RingCentral webhook notifications and the subscription validation handshake',
        description:
          'A request with a `Validation-Token` header and no body is the handshake: answered 200 with the same header. Every other request must carry a `Verification-Token` header equal to a configured token. Authentic events are published to Kafka topic `ringcentral.webhooks` (or, when they fail the schema, to `ringcentral.webhooks.invalid`) before the 200.',
        parameters: [
          { name: 'Validation-Token', in: 'header', required: false, schema: { type: 'string' } },
          { name: 'Verification-Token', in: 'header', required: false, schema: { type: 'string' } },
        ],
        requestBody: {
          required: false,
          content: { 'application/json': { schema: resolver(RingCentralEnvelope) } },
        },
        responses: webhookResponses,
      }),
      limit,
      handle('ringcentral', (request) => ingestRingCentral(ports, options.ringcentral, request)),
    )
    .post(
      '/webhooks/zoho',
      describeRoute({
        tags: ['webhooks'],
        summary: 'Zoho CRM notification (watch) callbacks',
        description:
          "The body `token` must match the channel's token or ZOHO_WEBHOOK_TOKEN; with ZOHO_WEBHOOK_QUERY_SECRET set, `?secret=` must match too. Authentic events are published to `zoho.webhooks` (or `zoho.webhooks.invalid`).",
        parameters: [{ name: 'secret', in: 'query', required: false, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: resolver(ZohoNotification) } },
        },
        responses: webhookResponses,
      }),
      limit,
      handle('zoho', (request) => ingestZoho(ports, options.zoho, request)),
    )
}
