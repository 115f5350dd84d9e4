import { describe, expect, it } from 'vitest'
import { type CpuSnapshot, cpuSnapshot, cpuUsage, machineCeiling } from './cpu.ts'

const snapshot = (
  processes: Record<string, number>,
  machine: { busy: number; steal: number; total: number },
): CpuSnapshot => ({ at: 0, processes: new Map(Object.entries(processes)), machine })

describe('benchmark CPU accounting', () => {
  it('splits a phase into CPU per request of each process and the rest of the machine', () => {
    const before = snapshot(
      { server: 100, 'load generator': 50 },
      { busy: 1000, steal: 10, total: 2000 },
    )
    // 10 s on 2 cores = 2000 ticks: server 800, load generator 300, 500 elsewhere, 100 stolen.
    const after = snapshot(
      { server: 900, 'load generator': 350 },
      { busy: 2600, steal: 110, total: 4000 },
    )
    const usage = cpuUsage(before, after, 40_000)
    expect(usage.microsPerRequest).toEqual({
      server: 200,
      'load generator': 75,
      'rest of machine': 125,
    })
    expect(usage.machineBusyPercent).toBe(80)
    expect(usage.stealPercent).toBe(5)
    // 400 µs of machine CPU per request: 2 cores serve at most 5,000 requests/s.
    expect(machineCeiling(usage, 2)).toBe(5000)
  })

  it('reads this process and the machine from /proc', () => {
    const now = cpuSnapshot({ self: process.pid, gone: 2 ** 22 + 1 })
    expect(now.processes.get('self')).toBeGreaterThan(0)
    expect(now.processes.get('gone')).toBe(0)
    expect(now.machine.total).toBeGreaterThan(now.machine.busy)
  })
})
