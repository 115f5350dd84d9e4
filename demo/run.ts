/**
 * @module demo/run
 * `npm run demo`: every role in one process on the embedded defaults (no Kafka, Redis or
 * PostgreSQL needed), the RingCentral and Zoho simulators in-process, the webhook subscription
 * created by the real keeper through the validation handshake, and a generator placing a realistic
 * mix of calls. Prints where everything is, one line per call step, and a running summary.
 * KAFKA_BROKERS / REDIS_URL / DATABASE_URL switch to real services; RINGCENTRAL_CLIENT_ID and
 * ZOHO_CLIENT_ID (with their secrets) switch to the real providers — by configuration alone.
 */
import net from 'node:net'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { Hono } from 'hono'
import { availableRoles } from '../cli/roles.ts'
import { loadConfig } from '../platform/config/load.ts'
import { createLogger } from '../platform/log/logger.ts'
import { runRoles } from '../platform/runtime/run.ts'
import { startRingCentralSimulator } from '../simulators/ringcentral/index.ts'
import { seededRandom } from '../simulators/shared/seeded-random.ts'
import { serveApp } from '../simulators/shared/serve.ts'
import { startZohoSimulator } from '../simulators/zoho/index.ts'
import { knownCallers, nextCall } from './call-mix.ts'
import { startObserver } from './observer.ts'

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

export interface DemoOptions {
  readonly args: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
  readonly print: (line: string) => void
  readonly untilStopped: Promise<unknown>
  readonly version: string
}

export const runDemo = async ({
  args,
  env,
  print,
  untilStopped,
  version,
}: DemoOptions): Promise<number> => {
  const { values } = parseArgs({
    args: [...args],
    options: { calls: { type: 'string' }, interval: { type: 'string' }, seed: { type: 'string' } },
  })
  const maxCalls = values.calls ? Number(values.calls) : Number.POSITIVE_INFINITY
  const intervalMs = Math.max(500, Number(values.interval ?? 4) * 1000)
  const random = seededRandom(Number(values.seed ?? Date.now()))

  const realRingCentral = Boolean(env['RINGCENTRAL_CLIENT_ID'])
  const realZoho = Boolean(env['ZOHO_CLIENT_ID'])
  const port = env['PORT'] && env['PORT'] !== '0' ? Number(env['PORT']) : await freePort()
  const rc = realRingCentral
    ? undefined
    : await startRingCentralSimulator({
        callLogDelayMs: 3000,
        recordingDelayMs: 2000,
        seed: Date.now() % 2 ** 31,
      })
  const zoho = realZoho ? undefined : await startZohoSimulator({})
  zoho?.sim.seed(
    'Leads',
    knownCallers
      .filter((c) => c.module === 'Leads')
      .map((c) => ({
        First_Name: c.first,
        Last_Name: c.last,
        Phone: c.phone,
        Company: 'Known Co',
      })),
  )
  zoho?.sim.seed(
    'Contacts',
    knownCallers
      .filter((c) => c.module === 'Contacts')
      .map((c) => ({ First_Name: c.first, Last_Name: c.last, Phone: c.phone })),
  )

  // Notifications arrive here (the notifier's chat-webhook channel), so the demo can show them.
  let onNotified: (text: string) => void = () => {}
  const chat = new Hono()
  chat.post('/chat', async (c) => {
    const body = (await c.req.json()) as { text?: string }
    onNotified(body.text ?? '')
    return c.json({ ok: true })
  })
  const chatServer = await serveApp(chat)

  const demoEnv: Record<string, string | undefined> = {
    DATA_DIR: path.join('.data', 'demo'),
    LOG_LEVEL: 'warn',
    SUBSCRIPTION_CHECK_INTERVAL_S: '30',
    ...(rc
      ? {
          RINGCENTRAL_SERVER_URL: rc.url,
          RINGCENTRAL_CLIENT_ID: 'sim-rc-client-id',
          RINGCENTRAL_CLIENT_SECRET: 'sim-rc-client-secret',
          RINGCENTRAL_JWT: 'sim-rc-jwt-credential',
          RINGCENTRAL_WEBHOOK_TOKEN: 'demo-verification-token-0001',
        }
      : {}),
    ...(zoho
      ? {
          ZOHO_ACCOUNTS_URL: zoho.url,
          ZOHO_CLIENT_ID: 'sim-zoho-client-id',
          ZOHO_CLIENT_SECRET: 'sim-zoho-client-secret',
          ZOHO_REFRESH_TOKEN: 'sim-zoho-refresh-token',
          ZOHO_WEBHOOK_TOKEN: 'demo-zoho-webhook-token',
        }
      : {}),
    CHAT_WEBHOOK_URL: `${chatServer.url}/chat`,
    NOTIFY_CHANNELS: 'missed:chat,voicemail:chat,new-lead:chat',
    ...env,
    PORT: String(port),
    PUBLIC_URL: env['PUBLIC_URL'] ?? `http://127.0.0.1:${port}`,
  }
  const roles = availableRoles()
  const { config } = loadConfig({ env: demoEnv, require: roles.flatMap((r) => r.requires) })
  const logger = createLogger({
    service: 'callbridge',
    environment: 'demo',
    version,
    level: config.LOG_LEVEL,
  })
  const running = await runRoles({ roles, config, logger, version })

  print(`callbridge demo — every role in one process (${roles.map((r) => r.name).join(', ')})`)
  print(`  gateway        ${running.url}/webhooks/ringcentral   health ${running.url}/healthz`)
  print(`  API docs       ${running.url}/docs`)
  if (rc) print(`  RingCentral    ${rc.url}  (simulated; what it holds: ${rc.url}/_sim/state)`)
  if (zoho)
    print(`  Zoho CRM       ${zoho.url}  (simulated; records: ${zoho.url}/_sim/records/Leads)`)
  print(`  data           ${path.resolve(config.DATA_DIR)} (kept across restarts)`)
  print('Ctrl-C stops it.\n')

  const observer = await startObserver(running.bus, print)
  onNotified = (text) => {
    observer.step(observer.sessionOf(text), 'notified', text.split('\n')[0] ?? '')
  }
  let placed = 0
  const generator = setInterval(() => {
    if (!rc || placed >= maxCalls) return
    placed += 1
    rc.sim
      .placeCall(nextCall(placed, random))
      .catch((error: unknown) => print(`could not place a call: ${String(error)}`))
  }, intervalMs)
  const summary = setInterval(() => print(observer.summary()), 20_000)

  await untilStopped
  clearInterval(generator)
  clearInterval(summary)
  print(observer.summary())
  await observer.stop()
  await running.stop()
  await chatServer.close()
  await rc?.close()
  await zoho?.close()
  return 0
}
