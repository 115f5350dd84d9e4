/**
 * CPU accounting for a benchmark phase (Linux /proc): CPU time of named processes, and of the
 * whole machine, per request. Shows where a phase's CPU went (server, load generator, everything
 * else: broker, Redis, the kernel) and whether the machine itself was the limit, including the
 * time the hypervisor took away (steal).
 */
import { readFileSync } from 'node:fs'

const ticksPerSecond = 100 // USER_HZ on Linux

interface MachineTicks {
  readonly busy: number
  readonly steal: number
  readonly total: number
}

export interface CpuSnapshot {
  readonly at: number
  readonly processes: ReadonlyMap<string, number>
  readonly machine: MachineTicks
}

/** utime + stime of a process and its threads, in ticks; 0 once it is gone. */
const processTicks = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return 0
  }
}

const machineTicks = (): MachineTicks => {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number) as number[]
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0)
  return {
    busy,
    steal: steal ?? 0,
    total: busy + (idle ?? 0) + (iowait ?? 0) + (steal ?? 0),
  }
}

/** Reads the CPU counters of `pids` (name → pid) and of the machine now. */
export const cpuSnapshot = (pids: Readonly<Record<string, number>>): CpuSnapshot => ({
  at: performance.now(),
  processes: new Map(Object.entries(pids).map(([name, pid]) => [name, processTicks(pid)])),
  machine: machineTicks(),
})

export interface CpuUsage {
  /** CPU microseconds per request, per named process, plus `rest of machine`. */
  readonly microsPerRequest: Readonly<Record<string, number>>
  /** Share of the machine's CPU time that was busy (all cores), in percent. */
  readonly machineBusyPercent: number
  /** Share of the machine's CPU time taken by the hypervisor, in percent. */
  readonly stealPercent: number
}

/** What the phase between two snapshots cost per request. */
export const cpuUsage = (before: CpuSnapshot, after: CpuSnapshot, requests: number): CpuUsage => {
  const micros = (ticks: number) => (ticks / ticksPerSecond) * 1e6
  const perRequest = (ticks: number) => Math.round(micros(ticks) / Math.max(1, requests))
  const microsPerRequest: Record<string, number> = {}
  let named = 0
  for (const [name, ticks] of after.processes) {
    const used = ticks - (before.processes.get(name) ?? 0)
    named += used
    microsPerRequest[name] = perRequest(used)
  }
  const busy = after.machine.busy - before.machine.busy
  microsPerRequest['rest of machine'] = perRequest(Math.max(0, busy - named))
  const total = Math.max(1, after.machine.total - before.machine.total)
  return {
    microsPerRequest,
    machineBusyPercent: Math.round((100 * busy) / total),
    stealPercent: Math.round((100 * (after.machine.steal - before.machine.steal)) / total),
  }
}

/**
 * Requests per second the machine could serve at this CPU per request with every core busy: the
 * ceiling for any amount of concurrency or parallelism, as long as the work per request stays.
 */
export const machineCeiling = (usage: CpuUsage, cores: number): number => {
  const total = Object.values(usage.microsPerRequest).reduce((sum, us) => sum + us, 0)
  return Math.round((cores * 1e6) / Math.max(1, total))
}
