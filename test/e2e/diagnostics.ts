/**
 * @module test/e2e/diagnostics
 * Everything useful when an end-to-end test fails, as text: the run, its timeline, the
 * processes and their log tails, consumer lag, parked messages, simulator stats, the ledger's
 * unfinished effects and the events the observer saw.
 */
import type { Db } from '../../platform/db/port.ts'
import type { StartedRingCentralSimulator } from '../../simulators/ringcentral/index.ts'
import type { StartedZohoSimulator } from '../../simulators/zoho/index.ts'
import type { Observer } from './observer.ts'
import type { ManagedProcess } from './process.ts'

export interface DiagnosticsSources {
  readonly run: Record<string, unknown>
  readonly timeline: () => readonly string[]
  readonly processes: () => readonly ManagedProcess[]
  readonly observer: Observer
  readonly rc: StartedRingCentralSimulator
  readonly zoho: StartedZohoSimulator
  readonly received: () => { emails: number; chat: number }
  readonly db: Db
}

const render = (body: unknown): string => {
  if (typeof body === 'string') return body
  if (Array.isArray(body)) return body.map((item) => JSON.stringify(item)).join('\n')
  return JSON.stringify(body)
}

const countBy = <T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((acc, item) => {
    const key = keyOf(item)
    acc[key] = (acc[key] ?? 0) + 1
    return acc
  }, {})

/** The report, read fresh on every call; a part that cannot be read says why. */
export const diagnosticsOf = async (sources: DiagnosticsSources): Promise<string> => {
  const { observer, rc, zoho, db } = sources
  const out: string[] = []
  const section = (title: string, body: unknown) => out.push(`--- ${title}\n${render(body)}`)
  const attempt = async (title: string, read: () => unknown) => {
    try {
      section(title, await read())
    } catch (error) {
      section(title, `unavailable: ${String(error)}`)
    }
  }
  const processes = sources.processes()
  section('run', sources.run)
  section('timeline', sources.timeline().join('\n'))
  section(
    'processes',
    processes.map((p) => ({
      role: p.role,
      url: p.url,
      pid: p.pid,
      running: p.running(),
      starts: p.starts,
    })),
  )
  for (const p of processes) {
    for (const crash of p.startupCrashes) section(`${p.role} exited during start-up`, crash)
  }
  await attempt('consumer lag', observer.lags)
  await attempt('parked messages', observer.parked)
  section('ringcentral simulator stats', rc.sim.stats())
  section(
    'ringcentral deliveries by outcome',
    countBy(rc.sim.state.deliveries, (d) => d.outcome),
  )
  section('zoho simulator stats', zoho.sim.stats())
  section('zoho records', {
    Leads: zoho.sim.state.records('Leads').length,
    Contacts: zoho.sim.state.records('Contacts').length,
    Calls: zoho.sim.state.records('Calls').length,
    attachments: zoho.sim.state.attachments().length,
    callbacks: zoho.sim.state.callbacks().length,
  })
  section('notifications', sources.received())
  section(
    'observed events',
    countBy(observer.events, (e) => {
      const value = e.value as { source?: unknown } | null
      const completed = e.topic === 'calls.completed' && typeof value === 'object' && value
      return completed ? `${e.topic}:${String(value.source)}` : e.topic
    }),
  )
  await attempt('ledger: unfinished effects', async () => {
    const { rows } = await db.query(
      `SELECT telephony_session_id, effect, effect_key, created_at FROM call_effects
       WHERE done_at IS NULL ORDER BY created_at`,
    )
    return rows
  })
  await attempt('ledger: calls without a CRM call', async () => {
    const { rows } = await db.query(
      'SELECT telephony_session_id, result, completed_at FROM calls WHERE crm_call_id IS NULL',
    )
    return rows
  })
  for (const p of processes) {
    await attempt(`${p.role} consumer metrics`, async () =>
      p.running()
        ? (await p.metrics())
            .split('\n')
            .filter((l) => l.startsWith('callbridge_consumer_messages_total'))
            .join('\n')
        : 'not running',
    )
    section(`${p.role} log tail`, p.tail(25).join('\n') || '(nothing at warn or above)')
  }
  return out.join('\n')
}
