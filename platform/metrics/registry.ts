/**
 * @module platform/metrics/registry
 * One Prometheus registry per process (prom-client), served at GET /metrics by the runtime. Roles
 * register their own instruments on it; the process's default metrics (CPU, memory, event loop,
 * GC) are collected too. Metric labels never carry secrets or unbounded values.
 */
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import { collectDefaultMetrics, Registry } from 'prom-client'

export type { Registry } from 'prom-client'

export const createMetricsRegistry = ({
  defaults = true,
  labels = {} as Record<string, string>,
} = {}) => {
  const registry = new Registry()
  registry.setDefaultLabels(labels)
  if (defaults) collectDefaultMetrics({ register: registry, prefix: 'callbridge_process_' })
  return registry
}

export const metricsRoutes = (registry: Registry) =>
  new Hono().get(
    '/metrics',
    describeRoute({
      tags: ['observability'],
      summary: 'Prometheus metrics',
      responses: { 200: { description: 'Prometheus text format' } },
    }),
    async (c) => {
      c.header('Content-Type', registry.contentType)
      return c.body(await registry.metrics())
    },
  )
