/**
 * npm run bench:ingest — gateway ingest throughput, latency and memory, against a no-op route.
 *
 * In one run on one machine: (a) a no-op Hono route and (b) the real gateway (Redis dedup, Kafka
 * acks=all) are each started as a child process and driven by the same load generator with the
 * same settings; then the gateway alone at a fixed 2,000 requests/s; then a 30-second broker
 * outage under 500 requests/s on a private broker. After each gateway phase every 2xx-answered
 * event is looked up in Kafka (lost / duplicated). Needs Kafka on KAFKA_BROKERS (127.0.0.1:9092),
 * Redis on REDIS_URL, and Java + Maven for the outage broker.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createLocalBroker } from '../gateway/testing/local-broker.ts'
import { type CpuUsage, cpuSnapshot, cpuUsage, machineCeiling } from './cpu.ts'
import { checkDelivery, type DeliveryCheck } from './kafka-check.ts'
import { drive, type LoadOptions, type LoadResult } from './load.ts'
import { type Server, startServer } from './processes.ts'

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',')
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/14'
const seconds = Number(process.env['BENCH_SECONDS'] ?? 15)
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 64)
const token = 'bench-verification-token-0123456789'
const runId = `bench${Date.now().toString(36)}`
const cli = new URL('../bin/callbridge.ts', import.meta.url).pathname
const noopScript = new URL('./noop-server.ts', import.meta.url).pathname

// The gateway runs with the production image's NODE_OPTIONS (heap cap), read from the Dockerfile.
const dockerfile = readFileSync(new URL('../deploy/Dockerfile', import.meta.url), 'utf8')
const nodeOptions = /NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1] ?? ''

const gatewayEnv = (kafka: readonly string[], port: number) => ({
  NODE_OPTIONS: nodeOptions,
  KAFKA_BROKERS: kafka.join(','),
  REDIS_URL: redisUrl,
  RINGCENTRAL_WEBHOOK_TOKEN: token,
  DATA_DIR: mkdtempSync(path.join(os.tmpdir(), `callbridge-bench-${port}-`)),
  LOG_LEVEL: 'warn',
  KAFKAJS_NO_PARTITIONER_WARNING: '1',
  AUTH_FAILURE_LIMIT: '1000000',
})

/** Drives `server` and accounts the phase's CPU: the server, this process (autocannon), the rest. */
const measured = async (
  server: Server,
  options: Omit<LoadOptions, 'url' | 'token' | 'connections'> & { connections?: number },
): Promise<{ load: LoadResult; cpu: CpuUsage }> => {
  const pids = { server: server.child.pid ?? 0, 'load generator': process.pid }
  const before = cpuSnapshot(pids)
  const load = await drive({ url: server.url, token, connections, ...options })
  return { load, cpu: cpuUsage(before, cpuSnapshot(pids), load.total) }
}

const cpuLine = (
  name: string,
  { microsPerRequest: us, machineBusyPercent, stealPercent }: CpuUsage,
) =>
  `| ${name} | ${us['server']} | ${us['load generator']} | ${us['rest of machine']} | ${machineBusyPercent} % | ${stealPercent} % |`

const line = (name: string, r: LoadResult, rssMb: number) =>
  `| ${name} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${rssMb} | ${r.total} | ${r.non2xx + r.errors + r.timeouts} |`

const delivery = (name: string, d: DeliveryCheck) =>
  `| ${name} | ${d.expected} | ${d.found} | ${d.missing} | ${d.duplicated} |`

const main = async () => {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu'
  console.log(`# bench:ingest ${new Date().toISOString()}`)
  console.log(
    `machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  )
  console.log(`load: autocannon, ${connections} connections, ${seconds} s per phase`)
  console.log(`gateway NODE_OPTIONS (from deploy/Dockerfile): ${nodeOptions || '(none)'}\n`)

  const noopServer = await startServer([noopScript], { port: 3101, env: {}, readyPath: '/livez' })
  await drive({ url: noopServer.url, token, seconds: 2, connections, runId: `${runId}w` }) // warm-up
  const noopRun = await measured(noopServer, { seconds, runId: `${runId}n` })
  const noopResult = noopRun.load
  const noopRss = noopServer.peakRssMb()
  await noopServer.stop()

  const gw = await startServer([cli, 'gateway'], {
    port: 3102,
    env: gatewayEnv(brokers, 3102),
    readyPath: '/readyz',
  })
  await drive({ url: gw.url, token, seconds: 2, connections, runId: `${runId}w` })
  const max = await measured(gw, { seconds, runId: `${runId}m` })
  const fixed = await measured(gw, { seconds, rate: 2000, runId: `${runId}f` })
  const [gwMax, gwFixed] = [max.load, fixed.load]
  const gwRss = gw.peakRssMb()
  await gw.stop()

  console.log('| server | requests/s | p50 ms | p99 ms | peak RSS MB | requests | non-2xx/errors |')
  console.log('| --- | --- | --- | --- | --- | --- | --- |')
  console.log(line('no-op Hono route, max', noopResult, noopRss))
  console.log(line('gateway (Redis dedup, Kafka acks=all), max', gwMax, gwRss))
  console.log(line('gateway at a fixed 2,000 req/s', gwFixed, gwRss))
  console.log(
    `\nthroughput ratio gateway/no-op: ${(gwMax.requestsPerSecond / noopResult.requestsPerSecond).toFixed(2)}`,
  )
  console.log(
    '\nCPU per request (µs; "rest of machine" is the broker, Redis, the kernel and anything else running):\n',
  )
  console.log('| phase | server | load generator | rest of machine | machine busy | steal |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  console.log(cpuLine('no-op Hono route, max', noopRun.cpu))
  console.log(cpuLine('gateway, max', max.cpu))
  console.log(cpuLine('gateway at 2,000 req/s', fixed.cpu))
  const cores = os.cpus().length
  const ceiling = machineCeiling(max.cpu, cores)
  console.log(
    `\ngateway ceiling on this machine (all ${cores} cores busy at the max phase's CPU per request): ${ceiling} req/s = ${(ceiling / noopResult.requestsPerSecond).toFixed(2)} × the no-op route's measured rate`,
  )

  const maxCheck = await checkDelivery(
    brokers,
    'ringcentral.webhooks',
    gwMax.acceptedIds,
    `${runId}m`,
  )
  const fixedCheck = await checkDelivery(
    brokers,
    'ringcentral.webhooks',
    gwFixed.acceptedIds,
    `${runId}f`,
  )

  // 30-second broker outage under 500 requests/s, on a private broker that can be stopped.
  const broker = createLocalBroker({ port: 19192, controllerPort: 19193 })
  await broker.start()
  const outageGw = await startServer([cli, 'gateway'], {
    port: 3103,
    env: { ...gatewayEnv(broker.brokers, 3103), PUBLISH_BUDGET_MS: '500' },
    readyPath: '/readyz',
  })
  const outageSeconds = 60
  const load = drive({
    url: outageGw.url,
    token,
    seconds: outageSeconds,
    connections: 16,
    rate: 500,
    runId: `${runId}o`,
  })
  await new Promise((resolve) => setTimeout(resolve, 10_000))
  await broker.stop()
  const stoppedAt = Date.now()
  await new Promise((resolve) => setTimeout(resolve, 30_000))
  await broker.start()
  const outageS = Math.round((Date.now() - stoppedAt) / 1000)
  const outage = await load
  const outageCheck = await checkDelivery(
    broker.brokers,
    'ringcentral.webhooks',
    outage.acceptedIds,
    `${runId}o`,
  )
  await outageGw.stop()
  await broker.destroy()

  console.log(`\n| phase | answered 2xx | found in Kafka | lost | duplicated |`)
  console.log('| --- | --- | --- | --- | --- |')
  console.log(delivery('gateway max', maxCheck))
  console.log(delivery('gateway 2,000 req/s', fixedCheck))
  console.log(delivery(`broker outage (${outageS} s) at 500 req/s`, outageCheck))
  console.log(
    `\noutage run: ${outage.total} requests, ${outage.non2xx} non-2xx, ${outage.errors} errors, ${outage.timeouts} timeouts, p99 ${outage.p99Ms} ms`,
  )
  const ok =
    gwMax.requestsPerSecond >= 0.5 * noopResult.requestsPerSecond &&
    gwFixed.p99Ms <= 50 &&
    gwRss < 250 &&
    maxCheck.missing + fixedCheck.missing + outageCheck.missing === 0 &&
    outage.non2xx + outage.errors + outage.timeouts === 0
  console.log(
    `\ntargets (ratio >= 0.5, p99 <= 50 ms at 2,000 req/s, RSS < 250 MB, zero lost, outage all 2xx): ${ok ? 'MET' : 'NOT MET'}`,
  )
}

await main()
