/**
 * @module cli/help
 * The `callbridge --help` text, built from the role registry and the command table.
 */
import type { Role } from '../platform/runtime/role.ts'

export interface CommandInfo {
  readonly name: string
  readonly usage: string
  readonly summary: string
}

export const helpText = (
  version: string,
  roles: readonly Role[],
  commands: readonly CommandInfo[],
) => {
  const roleLines =
    roles.length === 0
      ? ['  (none in this build yet)']
      : roles.map((r) => {
          const needs = r.requires.length > 0 ? `  [needs ${r.requires.join(', ')}]` : ''
          return `  ${r.name.padEnd(20)}${r.summary}${needs}`
        })
  const usageWidth = Math.max(31, ...commands.map((c) => c.usage.length + 2))
  return [
    `callbridge ${version}: RingCentral → Kafka → Zoho CRM event gateway`,
    '',
    'Usage:',
    '  callbridge <role> [<role> ...]   run these roles in one process',
    '  callbridge all                   run every role (what `npm start` does)',
    '  callbridge <command> [options]',
    '',
    'Roles:',
    ...roleLines,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(usageWidth)}${c.summary}`),
    '',
    'Configuration comes from environment variables, .env and config.json: see docs/configuration.md.',
    'HTTP roles listen on PORT (default 3000); every process serves /livez, /readyz and /healthz.',
  ].join('\n')
}
