/**
 * npm run bench:pipeline — the lead-matcher against Zoho's org concurrency limit, 1 and 3 replicas.
 *
 * The Zoho simulator runs in this process (served on a free port) with concurrencyLimit 10 and
 * latencyMs 100, seeded with the known leads and contacts of the data set (pipeline-data.ts:
 * 1,000 CallCompleted events from 500 distinct numbers). For each replica count, everything is
 * fresh: a private Kafka broker (createLocalBroker, free ports: clean topics and consumer groups),
 * a PostgreSQL database (created, migrated, dropped), the Redis db of REDIS_URL (flushed), the
 * simulator and its stats. The replicas are real `node bin/callbridge.ts lead-matcher` processes,
 * each with its own DATA_DIR and PORT=0, and the production image's NODE_OPTIONS.
 *
 * Before the replicas start, one full sync of crm-sync's phone directory runs against the same
 * simulator into the same Redis db (pipeline-directory.ts), as a deployed crm-sync does on start:
 * the lead-matchers then match known callers from it and trust its misses (LEAD_MATCH_DIRECTORY
 * default `trust`). Its requests count in the total and in requests per call, not in the floor.
 *
 * The calls are published AFTER the replicas have joined: publishing first would make the first
 * replica take all three partitions and start, then be rebalanced as the others join, which
 * measures a rebalance (and can redeliver in-flight calls), not steady throughput.
 *
 * Wall time: from just before the single produce request of the 1,000 events (the replicas are
 * idle, assigned and long-polling, so consumption starts within milliseconds) to the CreateTime
 * of the last calls.matched (the moment the replica published it). Floor: the calls' Zoho requests
 * × 100 ms / 10, the time the org's 10 slots need for that work if never idle.
 *
 * Needs Java + Maven (the private broker), Redis (REDIS_URL, default db 13) and PostgreSQL
 * (PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { pipelineData } from './pipeline-data.ts'
import { printResults } from './pipeline-report.ts'
import { type RunResult, runPipeline } from './pipeline-run.ts'

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/13'
const postgresAdminUrl =
  process.env['PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const replicaCounts = (process.env['BENCH_REPLICAS'] ?? '1,3').split(',').map(Number)
const timeoutMs = Number(process.env['BENCH_TIMEOUT_S'] ?? 600) * 1000
const concurrencyLimit = 10
const latencyMs = 100
const targets = { maxRatio: 1.3, maxConcurrency: 10, maxRequestsPerCall: 2.2 }

const dockerfile = readFileSync(new URL('../deploy/Dockerfile', import.meta.url), 'utf8')
const nodeOptions = /NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1] ?? ''

const main = async () => {
  const data = pipelineData({ runTag: Date.now().toString(36) })
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu'
  console.log(`# bench:pipeline ${new Date().toISOString()}`)
  console.log(
    `machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  console.log(`command: npm run bench:pipeline (node bench/pipeline.ts)`)
  console.log(
    `zoho simulator: concurrencyLimit ${concurrencyLimit}, latencyMs ${latencyMs}; replicas' NODE_OPTIONS (deploy/Dockerfile): ${nodeOptions || '(none)'}`,
  )
  const mix = Object.entries(data.byResult)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')
  console.log(
    `data: ${data.calls.length} calls from ${data.distinctNumbers} numbers; ${data.knownLeads} known leads, ${data.knownContacts} known contacts, ${data.distinctNumbers - data.knownLeads - data.knownContacts} new; ${mix}`,
  )
  console.log(
    'wall: publish start → CreateTime of the last calls.matched; floor: Zoho requests of the calls (without the directory sync) × 100 ms / 10\n',
  )

  const runs: RunResult[] = []
  for (const replicas of replicaCounts) {
    const result = await runPipeline(data, {
      replicas,
      redisUrl,
      postgresAdminUrl,
      nodeOptions,
      concurrencyLimit,
      latencyMs,
      timeoutMs,
    })
    console.log(
      `run with ${replicas} replica(s) done (set-up ${result.setupS.toFixed(0)} s, wall ${(result.wallMs / 1000).toFixed(1)} s)`,
    )
    runs.push(result)
  }
  console.log('')
  printResults(runs, { latencyMs, limit: concurrencyLimit, targets })
}

await main()
