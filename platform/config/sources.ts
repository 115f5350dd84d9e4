/**
 * @module platform/config/sources
 * Where configuration values come from, highest precedence first:
 *   1. the process environment,
 *   2. a `.env` file (ENV_FILE, else `.env` in the working directory) for local development,
 *   3. a JSON config file (CONFIG_FILE, else `config.json` in the working directory),
 *   4. the defaults in vars.ts.
 * Readers here only read; they never touch process.env.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'

export type SourceName = 'environment' | '.env file' | 'config file' | 'default'

export interface Source {
  readonly name: SourceName
  /** File the values came from, when they came from a file. */
  readonly file?: string
  readonly values: Readonly<Record<string, string>>
}

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError'
}

/**
 * Flattens a JSON config object into variable names: nested keys are joined with `_` and
 * upper-cased (`{ "zoho": { "client_id": "x" } }` → `ZOHO_CLIENT_ID=x`), arrays become
 * comma-separated lists, numbers and booleans become strings. Flat keys work as they are.
 */
export const flattenConfigObject = (
  input: unknown,
  file: string,
  prefix = '',
): Record<string, string> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigFileError(`${file}: the top level must be a JSON object`)
  }
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(input)) {
    const name = `${prefix}${key}`.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()
    if (value === null || value === undefined) continue
    if (Array.isArray(value)) out[name] = value.map(String).join(',')
    else if (typeof value === 'object')
      Object.assign(out, flattenConfigObject(value, file, `${name}_`))
    else out[name] = String(value)
  }
  return out
}

const readJsonFile = (file: string): Record<string, string> => {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigFileError(`cannot read config file ${file}: ${(error as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new ConfigFileError(`config file ${file} is not valid JSON: ${(error as Error).message}`)
  }
  return flattenConfigObject(parsed, file)
}

const readEnvFile = (file: string): Record<string, string> => {
  try {
    return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>
  } catch (error) {
    throw new ConfigFileError(`cannot read .env file ${file}: ${(error as Error).message}`)
  }
}

/**
 * Collects the sources for `env` (normally process.env) and working directory `cwd`. An explicit
 * CONFIG_FILE or ENV_FILE that does not exist is an error; the implicit ones are optional.
 */
export const readSources = (
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Source[] => {
  const environment: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) if (value !== undefined) environment[key] = value
  const sources: Source[] = [{ name: 'environment', values: environment }]

  const envFile = env['ENV_FILE'] ? path.resolve(cwd, env['ENV_FILE']) : path.join(cwd, '.env')
  if (env['ENV_FILE'] || existsSync(envFile)) {
    sources.push({ name: '.env file', file: envFile, values: readEnvFile(envFile) })
  }
  const dotenvConfig = sources[1]?.values['CONFIG_FILE']
  const configName = env['CONFIG_FILE'] ?? dotenvConfig
  const configFile = configName ? path.resolve(cwd, configName) : path.join(cwd, 'config.json')
  if (configName || existsSync(configFile)) {
    sources.push({ name: 'config file', file: configFile, values: readJsonFile(configFile) })
  }
  return sources
}
