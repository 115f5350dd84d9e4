/**
 * The markdown tables and target lines of bench:pipeline.
 */
import type { RunResult } from './pipeline-run.ts'

export interface Targets {
  readonly maxRatio: number
  readonly maxConcurrency: number
  readonly maxRequestsPerCall: number
}

const s1 = (ms: number) => (ms / 1000).toFixed(1)
const fmt = (n: number, digits = 2) => n.toFixed(digits)
const metOrNot = (ok: boolean) => (ok ? 'MET' : 'NOT MET')

/** The time the org's slots need for the calls' requests (the directory sync ran before). */
export const floorMs = (r: RunResult, latencyMs: number, limit: number) =>
  ((r.requests - r.directoryRequests) * latencyMs) / limit

export const printResults = (
  runs: readonly RunResult[],
  { latencyMs, limit, targets }: { latencyMs: number; limit: number; targets: Targets },
): boolean => {
  console.log(
    '| replicas | wall s | floor s | wall/floor | Zoho requests | requests/call | peak concurrency | 429s | failed calls (DLQ / no Zoho call record) |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const r of runs) {
    const floor = floorMs(r, latencyMs, limit)
    console.log(
      `| ${r.replicas} | ${s1(r.wallMs)} | ${s1(floor)} | ${fmt(r.wallMs / floor)} | ${r.requests} | ${fmt(r.requests / r.calls)} | ${r.peakConcurrency} | ${r.served429} | ${r.failed} (${r.dlq} / ${r.withoutCallRecord}) |`,
    )
  }

  for (const r of runs) {
    const d = r.directory
    console.log(
      `\n${r.replicas} replica(s): phone directory synced before the calls: ${d.leads} leads, ${d.contacts} contacts, ${d.numbers} numbers, ${r.directoryRequests} Zoho requests (counted in the total), ${(d.ms / 1000).toFixed(1)} s`,
    )
  }
  console.log('\nWhere the time and the requests went:\n')
  console.log(
    '| replicas | publish → 1st Zoho call ms | Zoho slot utilisation | time < 10 in flight s | mean Zoho call ms | mean handlers running | retried calls | duplicate call records | replica CPU s | bench CPU s | load avg before → after |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const r of runs) {
    console.log(
      `| ${r.replicas} | ${Math.round(r.firstCrmMs)} | ${fmt(r.slots.utilisation)} | ${s1(r.slots.belowLimitMs)} | ${Math.round(r.slots.meanServiceMs)} | ${fmt(r.meanHandlers, 1)} | ${r.retried} | ${r.duplicateCallRecords} | ${fmt(r.replicaCpuS, 1)} | ${fmt(r.benchCpuS, 1)} | ${fmt(r.loadBefore)} → ${fmt(r.loadAfter)} |`,
    )
  }

  const operations = [...new Set(runs.flatMap((r) => r.operations.map(([op]) => op)))]
  console.log(`\n| Zoho request | ${runs.map((r) => `${r.replicas} replica(s)`).join(' | ')} |`)
  console.log(`| --- | ${runs.map(() => '---').join(' | ')} |`)
  for (const op of operations) {
    const cells = runs.map((r) => String(r.operations.find(([o]) => o === op)?.[1] ?? 0))
    console.log(`| ${op} | ${cells.join(' | ')} |`)
  }
  console.log(
    `| token requests (not counted above) | ${runs.map((r) => String(r.tokenRequests)).join(' | ')} |`,
  )
  const sources = [...new Set(runs.flatMap((r) => [...r.outcomes.keys()]))].sort()
  console.log(
    `\n| person found via (lead-matcher metric) | ${runs.map((r) => `${r.replicas} replica(s)`).join(' | ')} |`,
  )
  console.log(`| --- | ${runs.map(() => '---').join(' | ')} |`)
  for (const source of sources) {
    console.log(
      `| ${source} | ${runs.map((r) => String(r.outcomes.get(source) ?? 0)).join(' | ')} |`,
    )
  }
  for (const r of runs) {
    if (!r.completed)
      console.log(
        `\n${r.replicas} replica(s): TIMED OUT before every call was matched (${r.matched} matched, ${r.dlq} parked)`,
      )
    if (r.problems.size > 0) {
      const lines = [...r.problems].sort((a, b) => b[1] - a[1]).slice(0, 8)
      console.log(`\n${r.replicas} replica(s), log lines at warn or above:`)
      for (const [msg, n] of lines) console.log(`- ${n} × ${msg}`)
    }
  }

  const ratioOk = runs.map((r) => r.wallMs <= targets.maxRatio * floorMs(r, latencyMs, limit))
  const multi = runs.filter((r) => r.replicas > 1)
  const concurrencyOk = multi.every((r) => r.peakConcurrency <= targets.maxConcurrency)
  const requests = runs.reduce((sum, r) => sum + r.requests, 0)
  const calls = runs.reduce((sum, r) => sum + r.calls, 0)
  const perCall = requests / calls
  const failed = runs.reduce((sum, r) => sum + r.failed, 0)
  const complete = runs.every((r) => r.completed)
  console.log('\nTargets:')
  runs.forEach((r, i) => {
    const ratio = r.wallMs / floorMs(r, latencyMs, limit)
    console.log(
      `- ${r.replicas} replica(s): wall within ${targets.maxRatio}× the floor: ${metOrNot(ratioOk[i] === true)} (${fmt(ratio)}×)`,
    )
  })
  console.log(
    `- peak concurrency never above ${targets.maxConcurrency} with ${multi.map((r) => r.replicas).join(', ')} replicas: ${metOrNot(concurrencyOk)} (${multi.map((r) => r.peakConcurrency).join(', ')})`,
  )
  console.log(
    `- at most ${targets.maxRequestsPerCall} Zoho requests per call overall: ${metOrNot(perCall <= targets.maxRequestsPerCall)} (${fmt(perCall)})`,
  )
  console.log(`- zero failed calls: ${metOrNot(failed === 0 && complete)} (${failed})`)
  const ok =
    ratioOk.every(Boolean) &&
    concurrencyOk &&
    perCall <= targets.maxRequestsPerCall &&
    failed === 0 &&
    complete
  console.log(
    `\ntargets (wall <= ${targets.maxRatio}× floor, peak concurrency <= ${targets.maxConcurrency}, <= ${targets.maxRequestsPerCall} requests/call, zero failed): ${metOrNot(ok)}`,
  )
  return ok
}
