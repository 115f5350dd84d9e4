/**
 * The Zoho simulator of bench:pipeline, served in the bench process, with a recorder in front of
 * it: every CRM call's operation, status, arrival and answer time. From those: requests by
 * operation, and how busy Zoho's concurrency slots were (slot utilisation, time below the limit).
 */
import { Hono } from 'hono'
import { serveApp } from '../simulators/shared/serve.ts'
import { createZohoSimulator, type ZohoSimulator } from '../simulators/zoho/index.ts'
import type { SeedPerson } from './pipeline-data.ts'

export interface CrmCall {
  readonly operation: string
  readonly status: number
  readonly startMs: number
  readonly endMs: number
}

export interface BenchZoho {
  readonly url: string
  readonly sim: ZohoSimulator
  readonly crmCalls: CrmCall[]
  close(): Promise<void>
}

/**
 * `GET /crm/v8/Leads/search` → `search Leads`, `POST /crm/v8/Calls` → `create Calls`,
 * `GET /crm/v8/Leads` → `list Leads (directory)`.
 */
const operationOf = (method: string, path: string): string => {
  const [, , , module, rest] = path.split('/')
  if (rest === 'search') return `search ${module}`
  if (method === 'POST' && rest === undefined) return `create ${module}`
  if (method === 'GET' && rest === undefined) return `list ${module} (directory)`
  return `${method} ${path.replace(/\d{6,}/g, ':id')}`
}

export const startBenchZoho = async (
  options: { concurrencyLimit: number; latencyMs: number },
  seeds: readonly SeedPerson[],
): Promise<BenchZoho> => {
  const sim = createZohoSimulator(options)
  for (const module of ['Leads', 'Contacts'] as const) {
    sim.seed(
      module,
      seeds.filter((s) => s.module === module).map((s) => s.fields),
    )
  }
  const crmCalls: CrmCall[] = []
  const front = new Hono()
  front.all('*', async (c) => {
    const startMs = performance.timeOrigin + performance.now()
    const response = await sim.app.fetch(c.req.raw)
    if (c.req.path.startsWith('/crm/')) {
      crmCalls.push({
        operation: operationOf(c.req.method, c.req.path),
        status: response.status,
        startMs,
        endMs: performance.timeOrigin + performance.now(),
      })
    }
    return response
  })
  const served = await serveApp(front)
  sim.setBaseUrl(served.url)
  return {
    url: served.url,
    sim,
    crmCalls,
    close: async () => {
      await sim.flush()
      await served.close()
    },
  }
}

export interface SlotUse {
  /** First CRM call's arrival to the last one's answer, ms. */
  readonly windowMs: number
  /** Mean of the calls' time inside the simulator, ms. */
  readonly meanServiceMs: number
  /** Sum of service time / (limit × window): 1 means every slot busy all the time. */
  readonly utilisation: number
  /** Time with fewer than `limit` calls in flight, ms (idle slots). */
  readonly belowLimitMs: number
  /** Time with no call in flight at all, ms. */
  readonly idleMs: number
  /** Mean number of calls in flight over the window. */
  readonly meanInFlight: number
}

export const slotUse = (calls: readonly CrmCall[], limit: number): SlotUse => {
  if (calls.length === 0) {
    return {
      windowMs: 0,
      meanServiceMs: 0,
      utilisation: 0,
      belowLimitMs: 0,
      idleMs: 0,
      meanInFlight: 0,
    }
  }
  const edges = calls.flatMap((c) => [
    { at: c.startMs, d: 1 },
    { at: c.endMs, d: -1 },
  ])
  edges.sort((a, b) => a.at - b.at || a.d - b.d)
  let inFlight = 0
  let last = edges[0]?.at ?? 0
  let belowLimitMs = 0
  let idleMs = 0
  for (const edge of edges) {
    const span = edge.at - last
    if (inFlight < limit) belowLimitMs += span
    if (inFlight === 0) idleMs += span
    inFlight += edge.d
    last = edge.at
  }
  const first = Math.min(...calls.map((c) => c.startMs))
  const end = Math.max(...calls.map((c) => c.endMs))
  const windowMs = end - first
  const service = calls.reduce((sum, c) => sum + (c.endMs - c.startMs), 0)
  return {
    windowMs,
    meanServiceMs: service / calls.length,
    utilisation: service / (limit * windowMs),
    belowLimitMs,
    idleMs,
    meanInFlight: service / windowMs,
  }
}

/** Requests by operation, most first. */
export const byOperation = (calls: readonly CrmCall[]): [string, number][] => {
  const counts = new Map<string, number>()
  for (const c of calls) {
    const key = c.status === 429 ? `${c.operation} (429)` : c.operation
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1])
}
