import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useZohoHarness } from '../../integrations/zoho/harness-hook.ts'
import { loadConfig } from '../../platform/config/load.ts'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import type { Kv } from '../../platform/kv/port.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { simZohoEnv } from '../../simulators/zoho/testing.ts'
import { directoryCommand } from './directory.ts'

const logger = createLogger({ service: 'test', environment: 'test', version: 't', level: 'silent' })

const command = async (args: string[], env: Record<string, string>, kv?: Kv) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callbridge-directory-'))
  const { config } = loadConfig({ env: { DATA_DIR: dir, LOG_LEVEL: 'silent', ...env }, cwd: dir })
  const lines: string[] = []
  try {
    const code = await directoryCommand(args, {
      config,
      logger,
      print: (text) => lines.push(text),
      ...(kv ? { kv } : {}),
    })
    return { code, lines }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('callbridge directory', () => {
  const startHarness = useZohoHarness()

  it('answers the usage for an unknown action, and 78 without the shared kv or Zoho credentials', async () => {
    expect((await command(['rebuild'], {})).code).toBe(2)
    const help = await command(['--help'], {})
    expect(help.code).toBe(0)
    expect(help.lines.join('\n')).toContain('usage: callbridge directory sync|status')
    const noRedis = await command(['status'], {})
    expect(noRedis.code).toBe(78)
    expect(noRedis.lines[0]).toContain('REDIS_URL is not set')
    const kv = createMemoryKv()
    expect((await command(['sync'], {}, kv)).code).toBe(78)
    await kv.close()
  })

  it('syncs with progress, then shows the complete directory and that misses are trusted', async () => {
    const harness = await startHarness()
    harness.sim.seed('Leads', [{ Last_Name: 'Lead', Phone: '(415) 555-0100' }])
    harness.sim.seed('Contacts', [{ Last_Name: 'Contact', Mobile: '+1 212-555-0100' }])
    const env = simZohoEnv(harness.url)

    const before = await command(['status'], env, harness.kv)
    expect(before.lines.join('\n')).toContain('none complete')
    expect(before.lines.at(-1)).toContain('searched in Zoho')

    const sync = await command(['sync'], env, harness.kv)
    expect(sync.code).toBe(0)
    expect(sync.lines).toContain('page 1: 1 people read')
    expect(sync.lines.at(-1)).toMatch(/^done: 1 leads, 1 contacts, 2 numbers in 2 pages/)

    const after = await command(['status'], env, harness.kv)
    expect(after.code).toBe(0)
    expect(after.lines.join('\n')).toContain('1 leads, 1 contacts, 2 numbers')
    expect(after.lines.at(-1)).toBe(
      'LEAD_MATCH_DIRECTORY=trust: numbers not in the directory are trusted to be new callers (no search)',
    )
    const searching = await command(
      ['status'],
      { ...env, LEAD_MATCH_DIRECTORY: 'search-on-miss' },
      harness.kv,
    )
    expect(searching.lines.at(-1)).toContain('searched in Zoho')
  })

  it('refuses to sync while another replica holds the directory lock', async () => {
    const harness = await startHarness()
    const lock = await harness.kv.tryLock('crm-sync:directory:lock', 60_000)
    const busy = await command(['sync'], simZohoEnv(harness.url), harness.kv)
    expect(busy.code).toBe(1)
    expect(busy.lines.at(-1)).toContain('a sync is running already')
    await lock?.release()
  })
})
