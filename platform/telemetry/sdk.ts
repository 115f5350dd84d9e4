/**
 * @module platform/telemetry/sdk
 * Starts OpenTelemetry before the application is imported (see bin/callbridge.ts). Configured by
 * the standard OTEL_* variables; off, cleanly, when no exporter endpoint is set or
 * OTEL_SDK_DISABLED=true. Kafka and log correlation do not depend on module hooks: the bus
 * adapters propagate context through message headers themselves and the logger reads the active
 * span. Module-hook instrumentation covers outgoing HTTP, fetch (undici), ioredis and pg.
 */
import type { Instrumentation } from '@opentelemetry/instrumentation'

export interface Telemetry {
  readonly enabled: boolean
  /** Flushes pending spans and stops the SDK (part of graceful shutdown). */
  shutdown(): Promise<void>
}

type Env = Readonly<Record<string, string | undefined>>

/** Whether the environment asks for traces to be exported. */
export const telemetryEnabled = (env: Env): boolean => {
  if (String(env['OTEL_SDK_DISABLED'] ?? '').toLowerCase() === 'true') return false
  if (env['OTEL_TRACES_EXPORTER'] && env['OTEL_TRACES_EXPORTER'] !== 'none') return true
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])
}

const instrumentations = async (): Promise<Instrumentation[]> => {
  const [http, undici, ioredis, pg] = await Promise.all([
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-ioredis'),
    import('@opentelemetry/instrumentation-pg'),
  ])
  return [
    // Incoming requests get their SERVER span from the Hono middleware (one span, not two).
    new http.HttpInstrumentation({ ignoreIncomingRequestHook: () => true }),
    new undici.UndiciInstrumentation(),
    new ioredis.IORedisInstrumentation(),
    new pg.PgInstrumentation(),
  ]
}

/**
 * Starts the SDK when enabled. `env` is process.env in production; the SDK itself reads the
 * remaining OTEL_* variables (endpoint, headers, sampler, resource attributes).
 */
export const startTelemetry = async ({
  env = process.env,
  version,
}: {
  env?: Env
  version: string
}): Promise<Telemetry> => {
  if (!telemetryEnabled(env)) return { enabled: false, shutdown: async () => {} }
  // On a closed network the cloud detectors only time out: keep the local ones unless told.
  process.env['OTEL_NODE_RESOURCE_DETECTORS'] ??= 'env,host,os'
  const [{ NodeSDK }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ])
  const sdk = new NodeSDK({
    serviceName: env['OTEL_SERVICE_NAME'] ?? 'callbridge',
    resource: resourceFromAttributes({ 'service.version': version }),
    traceExporter: new OTLPTraceExporter(),
    instrumentations: await instrumentations(),
  })
  sdk.start()
  return { enabled: true, shutdown: () => sdk.shutdown() }
}
