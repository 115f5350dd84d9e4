#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs'
/**
 * The callbridge entry point. Order matters:
 *   1. the import-in-the-middle hook is registered (only when tracing is on), so modules imported
 *      afterwards can be instrumented;
 *   2. the OpenTelemetry SDK starts;
 *   3. only then is the application imported and run.
 * Configuration itself is parsed once, inside cli/main.ts.
 */
import { register } from 'node:module'
import { parseEnv } from 'node:util'
import { startTelemetry, telemetryEnabled } from '../platform/telemetry/sdk.ts'

// OTEL_* variables may live in the local .env file: the SDK must see them before it starts.
const envFile = process.env['ENV_FILE'] ?? '.env'
const fromDotenv = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {}
const otelEnv = { ...fromDotenv, ...process.env }
for (const [key, value] of Object.entries(fromDotenv)) {
  if (key.startsWith('OTEL_') && process.env[key] === undefined) process.env[key] = value
}

if (telemetryEnabled(otelEnv)) {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url)
}
const packageJson = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string }
const telemetry = await startTelemetry({ env: otelEnv, version: packageJson.version })
const { main } = await import('../cli/main.ts')
process.exitCode = await main(process.argv.slice(2), { telemetry, version: packageJson.version })
