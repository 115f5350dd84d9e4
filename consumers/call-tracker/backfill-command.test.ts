import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { backfillCommand, parseBackfillDate } from '../../cli/commands/backfill.ts'
import { loadConfig } from '../../platform/config/load.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { startRingCentralSimulator } from '../../simulators/ringcentral/index.ts'
import { waitFor } from '../../test/wait-for.ts'

const logger = createLogger({
  service: 'callbridge-test',
  environment: 'test',
  version: 'test',
  level: 'silent',
})

const command = async (args: string[], env: Record<string, string> = {}) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callbridge-backfill-'))
  const { config } = loadConfig({ env: { DATA_DIR: dir, LOG_LEVEL: 'silent', ...env }, cwd: dir })
  const lines: string[] = []
  try {
    const code = await backfillCommand(args, { config, logger, print: (text) => lines.push(text) })
    return { code, lines }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const simEnv = (url: string) => ({
  RINGCENTRAL_SERVER_URL: url,
  RINGCENTRAL_CLIENT_ID: 'sim-rc-client-id',
  RINGCENTRAL_CLIENT_SECRET: 'sim-rc-client-secret',
  RINGCENTRAL_JWT: 'sim-rc-jwt-credential',
})

describe('callbridge backfill', () => {
  it('reads UTC days (the --to day included) and ISO date-times, and rejects impossible dates', () => {
    expect(parseBackfillDate('2026-11-01', false)?.toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(parseBackfillDate('2026-11-02', true)?.toISOString()).toBe('2026-11-03T00:00:00.000Z')
    expect(parseBackfillDate('2026-11-01T10:00:00+02:00', true)?.toISOString()).toBe(
      '2026-11-01T08:00:00.000Z',
    )
    expect(parseBackfillDate('2026-02-30', false)).toBeUndefined()
    expect(parseBackfillDate('yesterday', false)).toBeUndefined()
  })

  it('answers 2 with the usage for missing, malformed or reversed dates', async () => {
    for (const args of [
      [],
      ['--from', '2026-11-01'],
      ['--from', '2026-13-01', '--to', '2026-11-02'],
      ['--from', '2026-11-03', '--to', '2026-11-02'],
      ['--from', '2026-11-01', '--to', '2026-11-02', '--bogus'],
    ]) {
      const { code, lines } = await command(args)
      expect(code).toBe(2)
      expect(lines.at(-1)).toMatch(/^usage: callbridge backfill/)
    }
  })

  it('answers 78 when RingCentral is not configured', async () => {
    const { code, lines } = await command(['--from', '2026-11-01', '--to', '2026-11-02'])
    expect(code).toBe(78)
    expect(lines[0]).toContain('RINGCENTRAL_CLIENT_ID')
  })

  it('publishes the calls of the period and prints a progress line per page', async () => {
    // The simulator lives 10 min in the past: its call ended long enough ago to be settled.
    const rc = await startRingCentralSimulator({
      callLogDelayMs: 0,
      rateLimits: false,
      now: () => Date.now() - 10 * 60_000,
    })
    try {
      const call = await rc.sim.placeCall({
        direction: 'Inbound',
        from: '+15550111',
        to: '+15550100',
        result: 'missed',
      })
      await waitFor(() => rc.sim.state.callLog.length > 0, { what: 'the call log' })
      const from = new Date(Date.parse(call.startTime) - 60_000).toISOString()
      const to = new Date(Date.now() + 60_000).toISOString()
      const { code, lines } = await command(['--from', from, '--to', to], simEnv(rc.url))
      expect(lines).toEqual([
        `backfill ${from} .. ${to}`,
        expect.stringContaining('without REDIS_URL'),
        'page 1: 1 records seen, 1 calls published, 0 skipped',
        'done: 1 records in 1 pages, 1 calls published, 0 skipped',
      ])
      expect(code).toBe(0)
    } finally {
      await rc.close()
    }
  }, 30_000)
})
