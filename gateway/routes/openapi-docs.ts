/**
 * @module gateway/routes/openapi-docs
 * Response schemas of the webhook endpoints, for the generated OpenAPI document.
 */
import { resolver } from 'hono-openapi'
import { z } from 'zod'

export const WebhookAnswer = z.object({
  status: z.enum(['accepted', 'duplicate', 'parked']),
  id: z
    .string()
    .optional()
    .meta({ description: 'The event id used for dedup (also the CloudEvents ce_id).' }),
  error: z.string().optional().meta({ description: 'Why a parked event failed its schema.' }),
})

export const WebhookError = z.object({
  error: z.string().meta({ description: 'Machine-readable reason.' }),
  message: z.string().meta({ description: 'What was wrong, for people.' }),
})

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
})

export const webhookResponses = {
  200: json(
    WebhookAnswer,
    'Durable (in Kafka or the local spool), a duplicate, or parked as invalid; or the handshake answer (empty body, Validation-Token header).',
  ),
  400: json(WebhookError, 'Malformed JSON.'),
  401: json(WebhookError, 'Missing or wrong token. Nothing is published.'),
  413: json(WebhookError, 'Body larger than WEBHOOK_MAX_BODY_BYTES.'),
  415: json(WebhookError, 'Content-Type is not JSON.'),
  429: json(WebhookError, 'Too many failed authentications from this address; see Retry-After.'),
  503: json(WebhookError, 'Neither Kafka nor the local spool could store the event; retry.'),
}
