import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../test/wait-for.ts'

// The README's quick start, as a newcomer runs it: `npm run demo` (= `callbridge demo`), on the
// embedded defaults, until a call has reached the simulated Zoho.
const bin = new URL('../bin/callbridge.ts', import.meta.url).pathname

describe('npm run demo (README quick start)', () => {
  it('places calls that reach the simulated Zoho CRM, and stops cleanly on Ctrl-C', async () => {
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) {
      if (
        v !== undefined &&
        !/^(KAFKA_BROKERS|REDIS_URL|DATABASE_URL|OTEL_|ZOHO_|RINGCENTRAL_|PORT$)/.test(k)
      )
        env[k] = v
    }
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'callbridge-demo-'))
    const child = spawn(
      process.execPath,
      [bin, 'demo', '--interval', '1', '--calls', '4', '--seed', '7'],
      {
        env: { ...env, DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk)
    })
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk)
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const zohoUrl = await waitFor(
        () => /Zoho CRM\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1],
        {
          timeoutMs: 30_000,
          what: 'the demo to print where everything is',
        },
      )
      expect(stdout).toMatch(/gateway\s+http:\/\/127\.0\.0\.1:\d+\/webhooks\/ringcentral/)
      const calls = await waitFor(
        async () => {
          const res = await fetch(`${zohoUrl}/_sim/records/Calls`)
          const { data } = (await res.json()) as { data: unknown[] }
          return data.length > 0 ? data : undefined
        },
        { timeoutMs: 80_000, intervalMs: 500, what: 'a call activity in the simulated Zoho' },
      )
      expect(calls.length).toBeGreaterThan(0)
      expect(stdout).toMatch(/call s-\w+\s+matched/)
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(stdout).toMatch(/summary: \d+ calls received/)
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\n--- stdout ---\n${stdout.slice(-3000)}\n--- stderr ---\n${stderr.slice(-3000)}`,
      )
    } finally {
      child.kill('SIGKILL')
    }
  }, 120_000)
})
