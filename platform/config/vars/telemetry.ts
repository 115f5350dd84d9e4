/**
 * @module platform/config/vars/telemetry
 * OpenTelemetry tracing.
 */
import { z } from 'zod'
import { bool, httpUrl, type VarSpec } from './schemas.ts'

export const telemetryVars = {
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    group: 'Telemetry',
    schema: httpUrl,
    description:
      'OTLP/HTTP endpoint for traces (Jaeger, Tempo, a collector). When unset, tracing is off. The other standard OTEL_* variables apply too.',
    example: 'http://jaeger:4318',
  },
  OTEL_SERVICE_NAME: {
    group: 'Telemetry',
    schema: z.string().min(1),
    default: 'callbridge',
    description: 'Service name on traces and log lines.',
    example: 'callbridge',
  },
  OTEL_SDK_DISABLED: {
    group: 'Telemetry',
    schema: bool,
    default: 'false',
    description: 'Turns the OpenTelemetry SDK off even when an endpoint is set.',
    example: 'true',
  },
} as const satisfies Record<string, VarSpec>
