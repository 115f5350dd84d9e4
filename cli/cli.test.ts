import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEmbeddedBus } from '../platform/bus/embedded.ts'
import { genericNotification } from '../schemas/fixtures/ringcentral.ts'
import { waitFor } from '../test/wait-for.ts'

// The real entry point, as a user runs it: `node bin/callbridge.ts ...`.
const bin = new URL('../bin/callbridge.ts', import.meta.url).pathname
const cleanEnv = () => {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(KAFKA_BROKERS|REDIS_URL|DATABASE_URL|OTEL_)/.test(k)) env[k] = v
  }
  return env
}
const run = (args: string[], env: Record<string, string> = {}) => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'callbridge-cli-'))
  return spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: { ...cleanEnv(), ...env },
    encoding: 'utf8',
  })
}

describe('callbridge command line', () => {
  it('lists its roles and commands with --help', () => {
    const result = run(['--help'])
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(
      /^ {2}gateway\s+accepts RingCentral and Zoho webhooks.*\[needs RINGCENTRAL_WEBHOOK_TOKEN\]/m,
    )
    expect(result.stdout).toMatch(/^ {2}config \[--markdown\]/m)
    expect(result.stdout).toContain('callbridge all')
  })

  it('stops with exit code 78 and every configuration problem at once', () => {
    const result = run(['gateway'], { PORT: 'nope', LOG_LEVEL: 'loud' })
    expect(result.status).toBe(78)
    expect(result.stderr).toContain('invalid configuration (3 problem(s))')
    expect(result.stderr).toContain(
      'PORT: must be a port number (from environment); example: PORT=8080',
    )
    expect(result.stderr).toContain('LOG_LEVEL')
    expect(result.stderr).toContain('RINGCENTRAL_WEBHOOK_TOKEN: is required but not set')
  })

  it('rejects an unknown role with usage exit code 2', () => {
    const result = run(['gateway', 'teleporter'])
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('unknown role or command: teleporter')
  })

  it('prints the effective configuration with secrets redacted', () => {
    const result = run(['config'], {
      RINGCENTRAL_WEBHOOK_TOKEN: 'super-secret-token-value',
      PORT: '4321',
    })
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/RINGCENTRAL_WEBHOOK_TOKEN\s+<redacted>\s+environment/)
    expect(result.stdout).toMatch(/PORT\s+4321\s+environment/)
    expect(result.stdout).not.toContain('super-secret-token-value')
  })

  it('runs the gateway on the embedded defaults, accepts a webhook, and shuts down cleanly on SIGTERM', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'callbridge-cli-'))
    const token = 'cli-test-verification-token'
    const child: ChildProcess = spawn(process.execPath, [bin, 'gateway'], {
      cwd,
      env: {
        ...cleanEnv(),
        PORT: '0',
        HOST: '127.0.0.1',
        RINGCENTRAL_WEBHOOK_TOKEN: token,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk)
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const url = await waitFor(
        () => /"url":"(http:\/\/[^"]+)".*"msg":"callbridge started"/.exec(stdout)?.[1],
        {
          what: 'the gateway to start',
        },
      )
      const res = await fetch(`${url}/webhooks/ringcentral`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'verification-token': token },
        body: JSON.stringify(genericNotification({ uuid: 'cli-e2e-1' })),
      })
      expect(res.status).toBe(200)
      expect(((await (await fetch(`${url}/readyz`)).json()) as { status: string }).status).toBe(
        'ready',
      )
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(stdout).toContain('"msg":"stopped"')
      for (const line of stdout.trim().split('\n')) {
        expect(JSON.parse(line)).toMatchObject({
          service: 'callbridge',
          role: 'gateway',
          version: '0.1.0',
        })
      }
    } finally {
      child.kill('SIGKILL')
    }

    // The accepted event is in the embedded log the process left behind.
    const bus = createEmbeddedBus({ path: path.join(cwd, '.data', 'events.sqlite') })
    const values: string[] = []
    const sub = await bus.subscribe({
      groupId: 'cli-test',
      topics: ['ringcentral.webhooks'],
      handler: async (m) => {
        values.push(m.value.toString('utf8'))
      },
    })
    await waitFor(() => values.length === 1, { what: 'the event in the embedded log' })
    expect(JSON.parse(values[0] ?? '{}').payload.uuid).toBe('cli-e2e-1')
    await sub.stop()
    await bus.close()
  })
})
