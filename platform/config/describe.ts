/**
 * @module platform/config/describe
 * Human views of the configuration: the effective values with secrets redacted and their origin
 * (`callbridge config`), and the reference page docs/configuration.md, generated from vars.ts.
 */
import type { LoadedConfig } from './load.ts'
import { type VarName, varNames, vars } from './vars.ts'

export const REDACTED = '<redacted>'

const show = (name: VarName, value: unknown): string => {
  if (value === undefined) return '(unset)'
  if ('secret' in vars[name] && vars[name].secret) return REDACTED
  return Array.isArray(value) ? value.join(',') : String(value)
}

/** One row per variable: name, display value (secrets redacted), origin. */
export const effectiveConfig = ({ config, origin }: LoadedConfig) =>
  varNames.map((name) => {
    const from = origin[name]
    return {
      name,
      value: show(name, config[name]),
      from: from ? (from.file ? `${from.source} ${from.file}` : from.source) : '',
    }
  })

/** The `callbridge config` text: aligned columns, grouped as in the reference. */
export const formatEffectiveConfig = (loaded: LoadedConfig): string => {
  const rows = effectiveConfig(loaded)
  const width = Math.max(...rows.map((r) => r.name.length))
  const valueWidth = Math.min(48, Math.max(...rows.map((r) => r.value.length)))
  return rows
    .map((r) => `${r.name.padEnd(width)}  ${r.value.padEnd(valueWidth)}  ${r.from}`.trimEnd())
    .join('\n')
}

/** docs/configuration.md, generated. A test fails when the committed file drifts from this. */
export const configurationReference = (): string => {
  const out: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from platform/config/vars.ts by `npm run docs:config`. Do not edit by hand. -->',
    '',
    'callbridge reads every setting from environment variables. Values are looked up in this order,',
    'and the first source that sets a variable wins:',
    '',
    '1. the process environment;',
    '2. a `.env` file: the one named by `ENV_FILE`, else `.env` in the working directory (for local development);',
    '3. a JSON config file: the one named by `CONFIG_FILE`, else `config.json` in the working directory.',
    '   Keys may be flat (`{"KAFKA_BROKERS": "..."}`) or nested, as in the old `config.json`',
    '   (`{"zoho": {"client_id": "..."}}` means `ZOHO_CLIENT_ID`); arrays become comma-separated lists;',
    '4. the defaults below.',
    '',
    'An explicit `ENV_FILE` or `CONFIG_FILE` that cannot be read stops start-up. All problems are',
    'reported at once, each with the variable, what is wrong, where the value came from and an',
    'example. `callbridge config` prints the effective configuration, secrets redacted, with the',
    'source of every value. Each role also requires the variables it cannot work without (listed',
    'by `callbridge --help`).',
    '',
  ]
  let group = ''
  for (const name of varNames) {
    const spec = vars[name]
    if (spec.group !== group) {
      group = spec.group
      out.push(
        `## ${group}`,
        '',
        '| Variable | Default | Secret | Description | Example |',
        '| --- | --- | --- | --- | --- |',
      )
    }
    const def = 'default' in spec ? `\`${spec.default}\`` : ''
    const secret = 'secret' in spec && spec.secret ? 'yes' : ''
    out.push(`| \`${name}\` | ${def} | ${secret} | ${spec.description} | \`${spec.example}\` |`)
    const next = varNames[varNames.indexOf(name) + 1]
    if (!next || vars[next].group !== group) out.push('')
  }
  return out.join('\n')
}

/** `.env.example`, generated: every variable with its description, defaults commented out. */
export const envExample = (): string => {
  const out = [
    '# callbridge configuration: every variable, generated from platform/config/vars.ts',
    '# (`npm run docs:config`). Copy to .env for local development; see docs/configuration.md.',
    '# Lines starting with # show the default (or an example) and change nothing.',
    '',
  ]
  let group = ''
  for (const name of varNames) {
    const spec = vars[name]
    if (spec.group !== group) {
      group = spec.group
      out.push(`# --- ${group} ---`)
    }
    out.push(`# ${spec.description}${'secret' in spec && spec.secret ? ' (secret)' : ''}`)
    out.push('default' in spec ? `# ${name}=${spec.default}` : `# ${name}=${spec.example}`)
  }
  return `${out.join('\n')}\n`
}
