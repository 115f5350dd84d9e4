import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRingCentralSimulator } from '../../simulators/ringcentral/index.ts'
import { type Served, serveApp } from '../../simulators/shared/serve.ts'
import { waitFor } from '../../test/wait-for.ts'

const bin = new URL('../../bin/callbridge.ts', import.meta.url).pathname
const baseEnv = () => {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(KAFKA_BROKERS|REDIS_URL|DATABASE_URL|OTEL_|ZOHO_)/.test(k))
      env[k] = v
  }
  return env
}

/** Runs the CLI as a user would; resolves with its exit code and output. */
const cli = (
  args: string[],
  env: Record<string, string>,
  { stopWhen }: { stopWhen?: RegExp } = {},
) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'callbridge-cmd-'))
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...baseEnv(), ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk)
      if (stopWhen?.test(stdout)) child.kill('SIGTERM')
    })
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk)
    })
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
  })

describe('callbridge simulate', () => {
  it('runs the RingCentral simulator standalone, prints its URL and stops on SIGTERM', async () => {
    const result = await cli(
      ['simulate', 'ringcentral'],
      {},
      { stopWhen: /RINGCENTRAL_SERVER_URL=/ },
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^RingCentral simulator on http:\/\/127\.0\.0\.1:\d+ \(media http:\/\/127\.0\.0\.1:\d+\)/m,
    )
  })

  it('runs the Zoho simulator standalone', async () => {
    const result = await cli(['simulate', 'zoho'], {}, { stopWhen: /ZOHO_ACCOUNTS_URL=/ })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Zoho simulator on http:\/\/127\.0\.0\.1:\d+/m)
  })

  it('answers usage for an unknown simulator', async () => {
    const result = await cli(['simulate', 'teams'], {})
    expect(result.code).toBe(2)
    expect(result.stdout).toContain('usage: callbridge simulate ringcentral|zoho')
  })
})

describe('callbridge subscriptions', () => {
  let sim: Awaited<ReturnType<typeof startRingCentralSimulator>>
  let receiver: Served
  beforeAll(async () => {
    sim = await startRingCentralSimulator()
    const app = new Hono()
    app.post('/webhooks/ringcentral', (c) => {
      const token = c.req.header('validation-token')
      if (token) c.header('Validation-Token', token)
      return c.body(null, 200)
    })
    receiver = await serveApp(app)
  })
  afterAll(async () => {
    await receiver?.close()
    await sim?.close()
  })
  const env = () => ({
    PUBLIC_URL: receiver.url,
    RINGCENTRAL_SERVER_URL: sim.url,
    RINGCENTRAL_CLIENT_ID: 'sim-rc-client-id',
    RINGCENTRAL_CLIENT_SECRET: 'sim-rc-client-secret',
    RINGCENTRAL_JWT: 'sim-rc-jwt-credential',
    RINGCENTRAL_WEBHOOK_TOKEN: 'cli-verification-token-0001',
    LOG_LEVEL: 'silent',
  })

  it('ensure creates the RingCentral subscription, status shows it', async () => {
    const ensured = await cli(['subscriptions', 'ensure'], env())
    expect(ensured.stderr).toBe('')
    expect(ensured.code).toBe(0)
    expect(ensured.stdout).toContain('"action": "create"')
    expect(ensured.stdout).toContain(
      'skipped: Zoho channel: ZOHO_CLIENT_ID/SECRET/REFRESH_TOKEN are not all set',
    )
    await waitFor(() => sim.sim.state.subscriptions.some((s) => s.status === 'Active'))

    const status = await cli(['subscriptions', 'status'], env())
    expect(status.code).toBe(0)
    expect(status.stdout).toContain(`"address": "${receiver.url}/webhooks/ringcentral"`)
  })

  it('answers usage for an unknown action', async () => {
    const result = await cli(['subscriptions', 'fix'], env())
    expect(result.code).toBe(2)
  })
})
