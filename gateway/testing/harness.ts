/**
 * @module gateway/testing/harness
 * Runs the real gateway role in-process for tests: real config parsing, real ingest, dedup,
 * batcher, spool and routes, with the ports the test chooses (a recording bus, an in-memory or
 * Redis kv). Requests go through `app.request()`.
 */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Hono } from 'hono'
import type { Bus } from '../../platform/bus/port.ts'
import { loadConfig } from '../../platform/config/load.ts'
import type { Db } from '../../platform/db/port.ts'
import { createHealthRegistry, healthRoutes } from '../../platform/health/routes.ts'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import type { Kv } from '../../platform/kv/port.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { createMetricsRegistry, metricsRoutes } from '../../platform/metrics/registry.ts'
import { gatewayRole } from '../role.ts'

export const RC_TOKEN = 'rc-verification-token-current'
export const RC_PREVIOUS_TOKEN = 'rc-verification-token-previous'
export const ZOHO_TOKEN = 'zoho-webhook-token-0123'

export interface HarnessOptions {
  readonly bus: Bus
  readonly kv?: Kv
  readonly env?: Record<string, string>
  readonly dataDir?: string
}

const noDb = {} as Db

export const startGatewayHarness = async ({
  bus,
  kv = createMemoryKv(),
  env = {},
  dataDir,
}: HarnessOptions) => {
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'callbridge-gw-'))
  const { config } = loadConfig({
    env: {
      DATA_DIR: dir,
      RINGCENTRAL_WEBHOOK_TOKEN: `${RC_TOKEN},${RC_PREVIOUS_TOKEN}`,
      ZOHO_WEBHOOK_TOKEN: ZOHO_TOKEN,
      LOG_LEVEL: 'silent',
      ...env,
    },
    cwd: dir,
    require: gatewayRole.requires,
  })
  const logger = createLogger({
    service: 'callbridge',
    role: 'gateway',
    environment: 'test',
    version: 'test',
    level: 'silent',
  })
  const registry = createHealthRegistry()
  const metrics = createMetricsRegistry({ defaults: false })
  const app = new Hono()
  app.route(
    '/',
    healthRoutes({
      registry,
      service: 'callbridge',
      version: 'test',
      roles: ['gateway'],
      accepting: () => true,
    }),
  )
  app.route('/', metricsRoutes(metrics))
  const running = await gatewayRole.start({
    config,
    logger,
    bus,
    kv,
    db: noDb,
    health: registry,
    metrics,
    http: app,
  })
  return { app, config, dataDir: dir, kv, stop: () => running.stop() }
}

/** A RingCentral POST with the right headers unless overridden. */
export const rcRequest = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json; charset=UTF-8',
    'verification-token': RC_TOKEN,
    'user-agent': 'RingCentral-Webhook/8.3',
    ...headers,
  },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

export const zohoRequest = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})
