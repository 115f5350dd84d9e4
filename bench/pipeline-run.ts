/**
 * One bench:pipeline run: fresh broker, database, Redis db and simulator; one full sync of the
 * phone directory (pipeline-directory.ts); `replicas` lead-matcher processes; wait until their consumer group is stable; publish the calls; wait for every call to
 * be matched (or parked); collect what Kafka, the simulator and the replicas saw; tear down.
 */
import os from 'node:os'
import { simZohoEnv } from '../simulators/zoho/testing.ts'
import type { PipelineData } from './pipeline-data.ts'
import { type BenchDirectory, syncBenchDirectory } from './pipeline-directory.ts'
import {
  flushRedis,
  freshDatabase,
  type Replica,
  startReplica,
  sumMetric,
} from './pipeline-infra.ts'
import {
  createTopics,
  observe,
  pipelineTopics,
  publishCalls,
  startPrivateBroker,
  waitForStableGroup,
} from './pipeline-kafka.ts'
import { byOperation, type SlotUse, slotUse, startBenchZoho } from './pipeline-zoho.ts'

export interface RunSettings {
  readonly replicas: number
  readonly redisUrl: string
  readonly postgresAdminUrl: string
  readonly nodeOptions: string
  readonly concurrencyLimit: number
  readonly latencyMs: number
  readonly timeoutMs: number
}

export interface RunResult {
  readonly replicas: number
  readonly calls: number
  /** Publish start → CreateTime of the last calls.matched, ms. */
  readonly wallMs: number
  /** Publish start → first CRM call at the simulator, ms. */
  readonly firstCrmMs: number
  readonly completed: boolean
  readonly requests: number
  /** Of `requests`: the full sync of the phone directory before the calls. */
  readonly directoryRequests: number
  readonly directory: BenchDirectory
  readonly tokenRequests: number
  readonly peakConcurrency: number
  readonly served429: number
  readonly served500: number
  readonly operations: [string, number][]
  readonly slots: SlotUse
  readonly matched: number
  readonly dlq: number
  readonly retried: number
  readonly withoutCallRecord: number
  readonly duplicateCallRecords: number
  readonly failed: number
  readonly outcomes: Map<string, number>
  /** Mean handlers running at once over the wall time (handler seconds / wall). */
  readonly meanHandlers: number
  readonly replicaCpuS: number
  readonly benchCpuS: number
  readonly loadBefore: number
  readonly loadAfter: number
  readonly problems: Map<string, number>
  readonly setupS: number
}

const sessionOf = (description: unknown): string | undefined =>
  typeof description === 'string'
    ? /RingCentral telephony session: (\S+)/.exec(description)?.[1]
    : undefined

export const runPipeline = async (data: PipelineData, s: RunSettings): Promise<RunResult> => {
  const setupStart = Date.now()
  const broker = await startPrivateBroker()
  const cleanup: (() => Promise<unknown>)[] = [() => broker.destroy()]
  const replicas: Replica[] = []
  try {
    await createTopics(broker.brokers)
    await flushRedis(s.redisUrl)
    const db = await freshDatabase(
      s.postgresAdminUrl,
      `callbridge_bench_pipeline_${s.replicas}_${Date.now().toString(36)}`,
    )
    cleanup.push(() => db.drop())
    const limits = { concurrencyLimit: s.concurrencyLimit, latencyMs: s.latencyMs }
    const zoho = await startBenchZoho(limits, data.seeds)
    cleanup.push(() => zoho.close())
    const directory = await syncBenchDirectory({
      zohoUrl: zoho.url,
      redisUrl: s.redisUrl,
      concurrencyLimit: s.concurrencyLimit,
    })
    const directoryRequests = zoho.crmCalls.length
    const observer = await observe(broker.brokers)
    cleanup.push(() => observer.stop())

    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k, v]) =>
          v !== undefined && !/^(KAFKA_|REDIS_URL|DATABASE_URL|OTEL_|NODE_OPTIONS)/.test(k),
      ),
    ) as Record<string, string>
    const env = {
      ...inherited,
      NODE_OPTIONS: s.nodeOptions,
      KAFKA_BROKERS: broker.brokers.join(','),
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      REDIS_URL: s.redisUrl,
      DATABASE_URL: db.url,
      ...simZohoEnv(zoho.url),
      ZOHO_CONCURRENCY_LIMIT: String(s.concurrencyLimit),
      LOG_LEVEL: 'info',
      OTEL_SDK_DISABLED: 'true',
    }
    replicas.push(
      ...(await Promise.all(
        Array.from({ length: s.replicas }, (_, i) =>
          startReplica({ ...env, KAFKA_CLIENT_ID: `callbridge-${i}` }, i),
        ),
      )),
    )
    cleanup.push(() => Promise.all(replicas.map((r) => r.stop())))
    await waitForStableGroup(broker.brokers, 'callbridge.lead-matcher', s.replicas)
    await waitForStableGroup(broker.brokers, 'callbridge.lead-matcher.retry', s.replicas)
    const setupS = (Date.now() - setupStart) / 1000

    const crmBefore = zoho.crmCalls.length
    const cpuBefore = replicas.reduce((sum, r) => sum + r.cpuSeconds(), 0)
    const benchCpuBefore = process.cpuUsage()
    const loadBefore = os.loadavg()[0] ?? 0
    const publishedAt = await publishCalls(broker.brokers, data.calls)
    const completed = await observer.until(data.calls.length, s.timeoutMs)
    const benchCpu = process.cpuUsage(benchCpuBefore)
    const replicaCpuS = replicas.reduce((sum, r) => sum + r.cpuSeconds(), 0) - cpuBefore
    const loadAfter = os.loadavg()[0] ?? 0

    const firstMatched = new Map<string, number>()
    for (const o of observer.seen) {
      if (o.topic !== pipelineTopics.matched) continue
      firstMatched.set(o.session, Math.min(o.timestamp, firstMatched.get(o.session) ?? Infinity))
    }
    const wallMs = Math.max(...firstMatched.values()) - publishedAt
    const metricsText = await Promise.all(replicas.map((r) => r.metrics()))
    const outcomes = new Map<string, number>()
    let handlerSeconds = 0
    for (const text of metricsText) {
      for (const [k, v] of sumMetric(text, 'callbridge_lead_matcher_calls_total', 'outcome')) {
        outcomes.set(k, (outcomes.get(k) ?? 0) + v)
      }
      for (const v of sumMetric(text, 'callbridge_consumer_handler_seconds_sum').values()) {
        handlerSeconds += v
      }
    }
    const problems = new Map<string, number>()
    for (const r of replicas) {
      for (const [k, v] of r.problems()) problems.set(k, (problems.get(k) ?? 0) + v)
    }

    const stats = zoho.sim.stats()
    const records = new Map<string, number>()
    for (const record of zoho.sim.state.records('Calls')) {
      const session = sessionOf(record['Description'])
      if (session) records.set(session, (records.get(session) ?? 0) + 1)
    }
    const dlqSessions = new Set(
      observer.seen.filter((o) => o.topic === pipelineTopics.dlq).map((o) => o.session),
    )
    const failedSessions = data.calls
      .map((c) => c.telephonySessionId)
      .filter((id) => dlqSessions.has(id) || !records.has(id))
    const crmCalls = zoho.crmCalls.slice(crmBefore)
    return {
      replicas: s.replicas,
      calls: data.calls.length,
      wallMs,
      firstCrmMs: Math.min(...crmCalls.map((c) => c.startMs)) - publishedAt,
      completed,
      requests: stats.requests,
      directoryRequests,
      directory,
      tokenRequests: stats.tokenRequests,
      peakConcurrency: stats.peakConcurrency,
      served429: stats.served429,
      served500: stats.served500,
      operations: byOperation(zoho.crmCalls),
      slots: slotUse(crmCalls, s.concurrencyLimit),
      matched: firstMatched.size,
      dlq: dlqSessions.size,
      retried: observer.count(pipelineTopics.retry),
      withoutCallRecord: data.calls.filter((c) => !records.has(c.telephonySessionId)).length,
      duplicateCallRecords: [...records.values()].filter((n) => n > 1).length,
      failed: failedSessions.length,
      outcomes,
      meanHandlers: handlerSeconds / (wallMs / 1000),
      replicaCpuS,
      benchCpuS: (benchCpu.user + benchCpu.system) / 1e6,
      loadBefore,
      loadAfter,
      problems,
      setupS,
    }
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => {})
  }
}
