/**
 * @module platform/health/routes
 * Health endpoints every process serves, whatever its roles:
 *   GET /livez   the process is alive (no dependency is consulted: a restart would not help them)
 *   GET /readyz  it can do its work now: every readiness check passes, else 503 with the reasons
 *   GET /healthz deep: every dependency check with latency, plus uptime, memory and event-loop delay
 * Checks are pluggable (`HealthRegistry.add`), so roles and later API-token checks slot in.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import type { HealthCheck, HealthStatus } from './check.ts'

export interface HealthRegistry {
  /** `readiness: true` also gates /readyz; otherwise the check shows in /healthz only. */
  add(check: HealthCheck, options?: { readiness?: boolean }): void
  run(which: 'readiness' | 'all'): Promise<Record<string, HealthStatus>>
}

export const createHealthRegistry = ({ timeoutMs = 2000 } = {}): HealthRegistry => {
  const checks: { check: HealthCheck; readiness: boolean }[] = []
  const withTimeout = async (check: HealthCheck): Promise<HealthStatus> => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<HealthStatus>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({ ok: false, latencyMs: timeoutMs, error: `no answer within ${timeoutMs} ms` }),
        timeoutMs,
      )
    })
    try {
      return await Promise.race([check.check(), timeout])
    } finally {
      clearTimeout(timer)
    }
  }
  return {
    add: (check, { readiness = true } = {}) => {
      checks.push({ check, readiness })
    },
    run: async (which) => {
      const selected = checks.filter((c) => which === 'all' || c.readiness)
      const results = await Promise.all(selected.map((c) => withTimeout(c.check)))
      return Object.fromEntries(selected.map((c, i) => [c.check.name, results[i] as HealthStatus]))
    },
  }
}

export interface HealthRoutesOptions {
  readonly registry: HealthRegistry
  readonly service: string
  readonly version: string
  readonly roles: readonly string[]
  /** False while starting or shutting down: /readyz answers 503 regardless of the checks. */
  readonly accepting: () => boolean
}

export const healthRoutes = ({
  registry,
  service,
  version,
  roles,
  accepting,
}: HealthRoutesOptions) => {
  const resolutionMs = 20
  const loopDelay = monitorEventLoopDelay({ resolution: resolutionMs })
  loopDelay.enable()
  // The histogram records whole timer intervals: the delay is what exceeds the resolution.
  const delayMs = (ns: number) => Math.max(0, Math.round((ns / 1e6 - resolutionMs) * 10) / 10)
  const app = new Hono()
  const doc = (summary: string, description: string) =>
    describeRoute({
      tags: ['health'],
      summary,
      description,
      responses: {
        200: { description: 'OK' },
        503: { description: 'Not ready / degraded, with reasons' },
      },
    })
  app.get('/livez', doc('Liveness', 'The process is alive. Consults no dependency.'), (c) =>
    c.json({ status: 'ok' }),
  )
  app.get(
    '/readyz',
    doc('Readiness', 'Every readiness check passes: 200, else 503 with reasons.'),
    async (c) => {
      const checks = await registry.run('readiness')
      const failing = Object.entries(checks).filter(([, s]) => !s.ok)
      const reasons = failing.map(([name, s]) => `${name}: ${s.ok ? '' : s.error}`)
      if (!accepting()) reasons.unshift('process is starting or shutting down')
      const ready = reasons.length === 0
      return c.json({ status: ready ? 'ready' : 'not ready', reasons, checks }, ready ? 200 : 503)
    },
  )
  app.get(
    '/healthz',
    doc(
      'Deep health',
      'Every dependency check with latency, plus uptime, memory and event-loop delay.',
    ),
    async (c) => {
      const checks = await registry.run('all')
      const healthy = Object.values(checks).every((s) => s.ok)
      const memory = process.memoryUsage()
      const body = {
        status: healthy ? 'healthy' : 'degraded',
        service,
        version,
        roles,
        uptimeS: Math.round(process.uptime()),
        memory: {
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          heapTotalBytes: memory.heapTotal,
          externalBytes: memory.external,
          arrayBuffersBytes: memory.arrayBuffers,
        },
        eventLoopDelayMs: {
          p50: delayMs(loopDelay.percentile(50)),
          p99: delayMs(loopDelay.percentile(99)),
          max: delayMs(loopDelay.max),
        },
        checks,
      }
      return c.json(body, healthy ? 200 : 503)
    },
  )
  return app
}
