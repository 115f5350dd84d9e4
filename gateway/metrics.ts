/**
 * @module gateway/metrics
 * The gateway's instruments: requests by route and outcome, publish latency, batch sizes, spool
 * depth and age, dedup fail-opens. Also the IngestObserver the ingest core reports to.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { Logger } from '../platform/log/logger.ts'
import type { OutcomeName } from './ingest/outcome.ts'
import type { IngestObserver } from './ingest/ports.ts'
import type { SpoolStats } from './spool/index.ts'

export interface GatewayMetricsOptions {
  readonly registry: Registry
  readonly logger: Logger
  readonly spoolStats: () => SpoolStats
  /** At most one fail-open log line per this interval. */
  readonly failOpenLogIntervalMs?: number
  readonly now?: () => number
}

export const createGatewayMetrics = ({
  registry,
  logger,
  spoolStats,
  failOpenLogIntervalMs = 60_000,
  now = Date.now,
}: GatewayMetricsOptions) => {
  const requests = new Counter({
    name: 'callbridge_gateway_requests_total',
    help: 'Webhook requests by route and outcome (accepted, duplicate, unauthorized, invalid, too_large, ...).',
    labelNames: ['route', 'outcome'] as const,
    registers: [registry],
  })
  const publishSeconds = new Histogram({
    name: 'callbridge_gateway_publish_seconds',
    help: 'Time to make an event durable, by destination (kafka or spool).',
    labelNames: ['via'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5],
    registers: [registry],
  })
  const batchSize = new Histogram({
    name: 'callbridge_gateway_batch_size',
    help: 'Messages per produce call (group commit).',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [registry],
  })
  const failOpen = new Counter({
    name: 'callbridge_gateway_dedup_fail_open_total',
    help: 'Events published without dedup because the kv store (Redis) was unavailable.',
    registers: [registry],
  })
  new Gauge({
    name: 'callbridge_gateway_spool_depth',
    help: 'Events in the local spool waiting for Kafka.',
    registers: [registry],
    collect() {
      this.set(spoolStats().records)
    },
  })
  new Gauge({
    name: 'callbridge_gateway_spool_oldest_age_seconds',
    help: 'Age of the oldest event waiting in the spool (0 when empty).',
    registers: [registry],
    collect() {
      const oldest = spoolStats().oldestSpooledAt
      this.set(oldest === null ? 0 : Math.max(0, (now() - oldest) / 1000))
    },
  })

  let lastFailOpenLog = Number.NEGATIVE_INFINITY
  let suppressed = 0
  const observer: IngestObserver = {
    dedupFailOpen: (error) => {
      failOpen.inc()
      if (now() - lastFailOpenLog < failOpenLogIntervalMs) {
        suppressed += 1
        return
      }
      logger.warn(
        { err: error, suppressed_since_last: suppressed },
        'dedup store unavailable: publishing without dedup (fail open)',
      )
      lastFailOpenLog = now()
      suppressed = 0
    },
    published: (_topic, via, ms) => publishSeconds.observe({ via }, ms / 1000),
  }

  return {
    observer,
    request: (route: string, outcome: OutcomeName) => requests.inc({ route, outcome }),
    batch: (size: number) => batchSize.observe(size),
  }
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>
