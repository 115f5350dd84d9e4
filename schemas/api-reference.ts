/**
 * @module schemas/api-reference
 * docs/api.md, generated: the HTTP endpoints (whose full description the service serves at
 * /openapi.json) and every topic with its key and the JSON Schema of its value, made from the zod
 * schemas in this folder. A test fails when the committed page drifts (`npm run docs:api`).
 */
import { z } from 'zod'
import { callTopics } from './calls.ts'
import { topics } from './topics.ts'

const endpoints = [
  [
    'POST /webhooks/ringcentral',
    'gateway',
    'RingCentral notifications and the subscription validation handshake',
  ],
  ['POST /webhooks/zoho', 'gateway', 'Zoho CRM notification (watch) callbacks'],
  ['GET /livez', 'every process', '200 while the process runs'],
  [
    'GET /readyz',
    'every process',
    '200 when every readiness check passes, else 503 `{status, reasons, checks}`',
  ],
  [
    'GET /healthz',
    'every process',
    'deep health: dependencies with latency, token checks, spool, uptime, memory, event-loop delay',
  ],
  ['GET /metrics', 'every process', 'Prometheus text format'],
  [
    'GET /openapi.json, GET /docs',
    'every process',
    'the OpenAPI 3.1 description and an interactive UI (served offline)',
  ],
] as const

const answers = [
  ['handshake', '200', 'empty, `Validation-Token` header echoed'],
  ['accepted (in Kafka or the spool)', '200', '`{"status":"accepted","id":"rc:<uuid>"}`'],
  ['duplicate', '200', '`{"status":"duplicate","id":...}`'],
  [
    'authentic but failing its schema (parked on `.invalid`)',
    '200',
    '`{"status":"parked","error":...}`',
  ],
  ['malformed JSON', '400', '`{"error":"malformed_json","message":...}`'],
  ['missing or wrong token', '401', '`{"error":"unauthorized","message":...}`'],
  ['body too large', '413', '`{"error":"payload_too_large",...}`'],
  ['not JSON', '415', '`{"error":"unsupported_media_type",...}`'],
  ['too many failed authentications', '429', '`Retry-After` header'],
  ['neither Kafka nor the spool could store it', '503', '`Retry-After` header'],
] as const

const allTopics = [...Object.values(topics), ...Object.values(callTopics)]

const jsonSchema = (schema: z.ZodType) =>
  JSON.stringify(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }), null, 2)

export const apiReference = (): string => {
  const out = [
    '# API',
    '',
    '<!-- Generated from schemas/ by `npm run docs:api`. Do not edit by hand. -->',
    '',
    'The running service documents its HTTP API itself: `GET /openapi.json` (OpenAPI 3.1, generated',
    "from the routes' zod schemas) and `GET /docs` (interactive, served from the package).",
    '',
    '## HTTP endpoints',
    '',
    '| endpoint | served by | answers |',
    '| --- | --- | --- |',
    ...endpoints.map(([path, by, what]) => `| \`${path}\` | ${by} | ${what} |`),
    '',
    'Webhook answers (one place maps outcomes to HTTP: `gateway/ingest/outcome.ts`):',
    '',
    '| outcome | status | body |',
    '| --- | --- | --- |',
    ...answers.map(([outcome, status, body]) => `| ${outcome} | ${status} | ${body} |`),
    '',
    '## Topics',
    '',
    'Every message carries CloudEvents attributes as headers (`ce_specversion`, `ce_id` — the',
    'idempotency key and correlation id —, `ce_source`, `ce_type`, `ce_time`), `content-type:',
    'application/json` and, when tracing is on, W3C `traceparent`. Every consumed topic `T` also has',
    '`T.retry` (delayed redelivery for one consumer) and `T.dlq` (parked with the reason); see',
    'consumers/runtime/README.md.',
    '',
    '| topic | key |',
    '| --- | --- |',
    ...allTopics.map((t) => `| \`${t.name}\` | ${t.key} |`),
    '',
  ]
  for (const t of allTopics) {
    out.push(`### ${t.name}`, '', `Key: ${t.key}.`, '', '```json', jsonSchema(t.value), '```', '')
  }
  return out.join('\n')
}
