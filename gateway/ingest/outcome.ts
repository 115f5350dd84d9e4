/**
 * @module gateway/ingest/outcome
 * What ingesting a webhook can come to, and the ONE place each outcome becomes an HTTP answer.
 * Authentic events always get 200 (RingCentral blacklists endpoints that keep failing); only a
 * broken disk (neither Kafka nor the spool could take the event) gets a 5xx, so the provider
 * retries.
 */
import type { Context } from 'hono'

export type IngestOutcome =
  /** RingCentral's subscription validation request: echo the token. */
  | { outcome: 'handshake'; validationToken: string }
  | { outcome: 'accepted'; dedupKey: string; via: 'kafka' | 'spool' }
  | { outcome: 'duplicate'; dedupKey: string }
  /** Authentic but not matching its schema: parked on the `.invalid` topic, not dropped. */
  | { outcome: 'invalid'; error: string; via: 'kafka' | 'spool' }
  | { outcome: 'unauthorized'; reason: string }
  | { outcome: 'throttled'; retryAfterS: number }
  | { outcome: 'too_large'; limitBytes: number }
  | { outcome: 'unsupported_media_type'; contentType: string }
  | { outcome: 'malformed_json'; error: string }
  | { outcome: 'unavailable'; error: string }

export type OutcomeName = IngestOutcome['outcome']

/** The HTTP status of each outcome (also used for metrics and docs). */
export const statusOf = (outcome: IngestOutcome): 200 | 400 | 401 | 413 | 415 | 429 | 503 => {
  switch (outcome.outcome) {
    case 'handshake':
    case 'accepted':
    case 'duplicate':
    case 'invalid':
      return 200
    case 'malformed_json':
      return 400
    case 'unauthorized':
      return 401
    case 'too_large':
      return 413
    case 'unsupported_media_type':
      return 415
    case 'throttled':
      return 429
    case 'unavailable':
      return 503
    default: {
      const exhaustive: never = outcome
      return exhaustive
    }
  }
}

/** Builds the response. Bodies are small JSON objects that never echo secrets. */
export const toResponse = (c: Context, outcome: IngestOutcome): Response => {
  const status = statusOf(outcome)
  switch (outcome.outcome) {
    case 'handshake':
      // The whole answer must stay under 1024 bytes: an empty body and one extra header.
      c.header('Validation-Token', outcome.validationToken)
      c.header('Content-Type', 'application/json')
      return c.body(null, 200)
    case 'accepted':
      return c.json({ status: 'accepted', id: outcome.dedupKey }, status)
    case 'duplicate':
      return c.json({ status: 'duplicate', id: outcome.dedupKey }, status)
    case 'invalid':
      return c.json({ status: 'parked', error: outcome.error }, status)
    case 'unauthorized':
      return c.json(
        { error: 'unauthorized', message: `webhook rejected: ${outcome.reason}` },
        status,
      )
    case 'throttled':
      c.header('Retry-After', String(outcome.retryAfterS))
      return c.json(
        { error: 'too_many_failures', message: 'too many failed attempts from this address' },
        status,
      )
    case 'too_large':
      return c.json(
        { error: 'payload_too_large', message: `body exceeds ${outcome.limitBytes} bytes` },
        status,
      )
    case 'unsupported_media_type':
      return c.json(
        {
          error: 'unsupported_media_type',
          message: `expected application/json, got ${outcome.contentType || 'none'}`,
        },
        status,
      )
    case 'malformed_json':
      return c.json(
        { error: 'malformed_json', message: `body is not valid JSON: ${outcome.error}` },
        status,
      )
    case 'unavailable':
      c.header('Retry-After', '5')
      return c.json({ error: 'unavailable', message: 'event could not be stored; retry' }, status)
    default: {
      const exhaustive: never = outcome
      return exhaustive
    }
  }
}
