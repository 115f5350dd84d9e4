/**
 * @module platform/log/logger
 * The one pino logger, built in the entry point and passed down. JSON lines carrying service,
 * role, environment and version; inside a trace also trace_id, span_id and trace_flags (taken
 * from the active OpenTelemetry span, so no module hook is needed); secrets removed by key
 * (pino redact) and by value (scrub.ts) before a line is written.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api'
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino'
import { createScrubber, SCRUBBED } from './scrub.ts'

export type { Logger } from 'pino'

export interface LoggerSettings {
  readonly service: string
  /** Set here for a one-role logger; a process running several roles sets it per child. */
  readonly role?: string
  readonly environment: string
  readonly version: string
  readonly level: LoggerOptions['level']
  /** Configured secret values to scrub wherever they appear. */
  readonly secrets?: readonly string[]
  /** Where lines go; stdout by default. Tests pass a collecting stream. */
  readonly destination?: DestinationStream
}

/** Keys whose values are never logged, at any depth pino redaction supports. */
export const redactedPaths = [
  'authorization',
  'password',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'jwt',
  'secret',
  '*.authorization',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.jwt',
  '*.secret',
  'headers.authorization',
  'headers["verification-token"]',
  'headers["validation-token"]',
  '*.headers.authorization',
  '*.headers["verification-token"]',
  'req.headers.authorization',
  'req.headers["verification-token"]',
] as const

const traceFields = () => {
  const span = trace.getActiveSpan()
  if (!span) return {}
  const ctx = span.spanContext()
  if (!isSpanContextValid(ctx)) return {}
  return {
    trace_id: ctx.traceId,
    span_id: ctx.spanId,
    trace_flags: `0${ctx.traceFlags.toString(16)}`,
  }
}

export const createLogger = (settings: LoggerSettings): Logger => {
  const scrub = createScrubber(settings.secrets ?? [])
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: {
      service: settings.service,
      ...(settings.role ? { role: settings.role } : {}),
      environment: settings.environment,
      version: settings.version,
    },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
    redact: { paths: [...redactedPaths], censor: SCRUBBED },
    hooks: { streamWrite: scrub },
  }
  return pino(options, settings.destination ?? pino.destination({ dest: 1, sync: false }))
}
