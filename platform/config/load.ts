/**
 * @module platform/config/load
 * Parses the configuration once, in the entry point: merges the sources by precedence, validates
 * every variable with its schema from vars.ts, and reports ALL problems at once, each naming the
 * variable, what is wrong, where the bad value came from and an example of a good value.
 */
import { z } from 'zod'
import { readSources, type Source, type SourceName } from './sources.ts'
import { type Config, type VarName, varNames, vars } from './vars.ts'

export interface ConfigProblem {
  readonly variable: VarName
  readonly problem: string
  readonly source?: SourceName
  readonly example: string
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly problems: readonly ConfigProblem[]
  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map(
      (p) =>
        `  - ${p.variable}: ${p.problem}${p.source ? ` (from ${p.source})` : ''}; example: ${p.variable}=${p.example}`,
    )
    super(`invalid configuration (${problems.length} problem(s)):\n${lines.join('\n')}`)
    this.problems = problems
  }
}

export interface LoadedConfig {
  readonly config: Config
  /** Where each variable's value came from (absent = unset). */
  readonly origin: Readonly<Partial<Record<VarName, { source: SourceName; file?: string }>>>
}

export interface LoadConfigOptions {
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
  /** Variables the selected roles cannot run without, on top of those always required. */
  readonly require?: readonly VarName[]
}

const schemaFor = (name: VarName): z.ZodType => vars[name].schema

/** Loads, merges and validates. Throws ConfigError (every problem at once) or ConfigFileError. */
export const loadConfig = ({
  env = process.env,
  cwd = process.cwd(),
  require = [],
}: LoadConfigOptions = {}): LoadedConfig => {
  const sources: Source[] = [...readSources(env, cwd)]
  const defaults: Record<string, string> = {}
  for (const name of varNames) {
    const spec = vars[name]
    if ('default' in spec) defaults[name] = spec.default
  }
  sources.push({ name: 'default', values: defaults })

  const raw: Record<string, string> = {}
  const origin: Partial<Record<VarName, { source: SourceName; file?: string }>> = {}
  for (const name of varNames) {
    const source = sources.find((s) => s.values[name] !== undefined && s.values[name] !== '')
    if (!source) continue
    raw[name] = source.values[name] as string
    origin[name] = source.file
      ? { source: source.name, file: source.file }
      : { source: source.name }
  }

  const shape = Object.fromEntries(
    varNames.map((name) => {
      const required = ('required' in vars[name] && vars[name].required) || require.includes(name)
      return [name, required ? schemaFor(name) : schemaFor(name).optional()]
    }),
  )
  const result = z.object(shape).safeParse(raw)
  if (!result.success) {
    const problems = result.error.issues.map((issue): ConfigProblem => {
      const variable = issue.path[0] as VarName
      const missing = raw[variable] === undefined
      const source = origin[variable]?.source
      return {
        variable,
        problem: missing ? 'is required but not set' : issue.message,
        ...(source ? { source } : {}),
        example: vars[variable].example,
      }
    })
    throw new ConfigError(problems)
  }
  return { config: result.data as Config, origin }
}
