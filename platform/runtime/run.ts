/**
 * @module platform/runtime/run
 * Runs a set of roles in one process: builds the adapters, registers their health checks, starts
 * the roles, serves HTTP (health endpoints always; role routes when a role mounts them) and stops
 * everything in reverse order on request.
 */
import { serve } from '@hono/node-server'
import { httpInstrumentationMiddleware } from '@hono/otel'
import { Hono } from 'hono'
import type { Bus } from '../bus/port.ts'
import type { Config } from '../config/vars.ts'
import { createHealthRegistry, healthRoutes } from '../health/routes.ts'
import { mountApiDocs } from '../http/openapi.ts'
import type { Logger } from '../log/logger.ts'
import { createMetricsRegistry, metricsRoutes } from '../metrics/registry.ts'
import { createAdapters } from './adapters.ts'
import type { Role, RunningRole } from './role.ts'

export interface RunOptions {
  readonly roles: readonly Role[]
  readonly config: Config
  /** The process logger, without a `role` binding: runRoles adds it. */
  readonly logger: Logger
  readonly version: string
  /**
   * Whether traces are exported (the SDK is on): only then does every request get its SERVER
   * span from the Hono middleware. Default true.
   */
  readonly tracing?: boolean
}

export interface RunningProcess {
  /** The HTTP address actually bound (PORT=0 picks a free port). */
  readonly url: string
  /** The process's bus (the demo follows the topics through it). */
  readonly bus: Bus
  /** Graceful shutdown: stop accepting, stop roles in reverse order, close adapters. Idempotent. */
  stop(): Promise<void>
}

export const runRoles = async ({
  roles,
  config,
  logger: base,
  version,
  tracing = true,
}: RunOptions): Promise<RunningProcess> => {
  const names = roles.map((r) => r.name)
  // Process-level lines name every role of the process; each role's own lines name that role.
  const logger = base.child({ role: names.join('+') || 'none' })
  const adapters = await createAdapters(config, logger, names.join('+') || 'cli')
  const registry = createHealthRegistry()
  for (const check of [adapters.bus.health, adapters.kv.health, adapters.db.health]) {
    registry.add(check, { readiness: false })
  }
  const metrics = createMetricsRegistry({ labels: { service: config.OTEL_SERVICE_NAME } })

  let accepting = false
  const http = new Hono()
  // One SERVER span per request (incoming HTTP is not instrumented a second time, see telemetry);
  // without an SDK the middleware would only make spans nobody records.
  if (tracing) {
    http.use(
      httpInstrumentationMiddleware({
        serviceName: config.OTEL_SERVICE_NAME,
        serviceVersion: version,
      }),
    )
  }
  http.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'unhandled error in HTTP handler')
    return c.json({ error: 'internal', message: 'internal error' }, 500)
  })
  http.notFound((c) =>
    c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404),
  )
  http.route(
    '/',
    healthRoutes({
      registry,
      service: config.OTEL_SERVICE_NAME,
      version,
      roles: names,
      accepting: () => accepting,
    }),
  )
  http.route('/', metricsRoutes(metrics))

  const running: { name: string; handle: RunningRole }[] = []
  try {
    for (const role of roles) {
      const roleLogger = base.child({ role: role.name })
      const handle = await role.start({
        config,
        logger: roleLogger,
        bus: adapters.bus,
        kv: adapters.kv,
        db: adapters.db,
        health: registry,
        metrics,
        http,
      })
      running.push({ name: role.name, handle })
      roleLogger.info('role started')
    }
  } catch (error) {
    for (const r of running.reverse()) await r.handle.stop().catch(() => {})
    await adapters.close()
    throw error
  }

  mountApiDocs(http, { title: 'callbridge', version })
  const server = serve({ fetch: http.fetch, port: config.PORT, hostname: config.HOST })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.PORT
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`
  accepting = true
  for (const r of running) r.handle.onListening?.(url)
  logger.info({ url, roles: names, adapters: adapters.kinds }, 'callbridge started')

  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      accepting = false
      logger.info('shutting down')
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const r of [...running].reverse()) {
        try {
          await r.handle.stop()
        } catch (error) {
          logger.error({ err: error, role: r.name }, 'role did not stop cleanly')
        }
      }
      if ('closeIdleConnections' in server) server.closeIdleConnections()
      await closed
      await adapters.close()
      logger.info('stopped')
    })()
    return stopping
  }
  return { url, bus: adapters.bus, stop }
}
