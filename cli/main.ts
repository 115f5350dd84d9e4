/**
 * @module cli/main
 * Dispatches the command line: roles to run, or a subcommand. The configuration is parsed here,
 * once, and handed down; nothing reads process.env after this point.
 */
import type { Writable } from 'node:stream'
import {
  configurationReference,
  envExample,
  formatEffectiveConfig,
} from '../platform/config/describe.ts'
import { ConfigError, loadConfig } from '../platform/config/load.ts'
import { ConfigFileError } from '../platform/config/sources.ts'
import { type Config, varNames, vars } from '../platform/config/vars.ts'
import { createLogger, type Logger } from '../platform/log/logger.ts'
import { routeProcessWarnings } from '../platform/log/process-warnings.ts'
import type { Role } from '../platform/runtime/role.ts'
import type { Telemetry } from '../platform/telemetry/sdk.ts'
import { backfillCommandInfo } from './commands/backfill.ts'
import { directoryCommandInfo } from './commands/directory.ts'
import { dlqCommandInfo } from './commands/dlq.ts'
import { type CommandInfo, helpText } from './help.ts'
import { availableRoles } from './roles.ts'

export interface MainOptions {
  readonly telemetry: Telemetry
  readonly version: string
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
  readonly out?: Writable
  readonly err?: Writable
  readonly roles?: readonly Role[]
  /** Resolves when the process should stop (signals by default). Tests pass their own. */
  readonly untilStopped?: Promise<unknown>
}

const commands: readonly CommandInfo[] = [
  backfillCommandInfo,
  directoryCommandInfo,
  dlqCommandInfo,
  {
    name: 'demo',
    usage: 'demo [--calls N] [--interval S]',
    summary:
      'every role in one process with simulated RingCentral and Zoho and a stream of calls (npm run demo)',
  },
  {
    name: 'simulate',
    usage: 'simulate ringcentral|zoho',
    summary: 'run a RingCentral or Zoho API simulator standalone and print its URL',
  },
  {
    name: 'subscriptions',
    usage: 'subscriptions status|ensure',
    summary: 'show or repair the RingCentral webhook subscription and the Zoho watch channel',
  },
  {
    name: 'config',
    usage: 'config [--markdown]',
    summary:
      'print the effective configuration (secrets redacted) and where each value came from; --markdown prints the reference',
  },
  { name: 'help', usage: 'help, --help', summary: 'this text' },
]

const secretValues = (config: Config): string[] =>
  varNames.flatMap((name) => {
    const value = config[name]
    if (!('secret' in vars[name] && vars[name].secret) || value === undefined) return []
    return Array.isArray(value) ? value.map(String) : [String(value)]
  })

const signalled = () =>
  new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })

/** What a one-shot command (not a long-running role) gets. */
interface CommandContext {
  readonly config: Config
  readonly logger: Logger
  readonly print: (text: string) => void
}
type OneShotCommand = (args: readonly string[], context: CommandContext) => Promise<number>

/** One-shot commands (not long-running roles), resolved when one is run. */
const oneShotCommands = new Map<string, () => Promise<OneShotCommand>>([
  ['backfill', async () => (await import('./commands/backfill.ts')).backfillCommand],
  ['directory', async () => (await import('./commands/directory.ts')).directoryCommand],
  ['dlq', async () => (await import('./commands/dlq.ts')).dlqCommand],
  ['subscriptions', async () => (await import('./commands/subscriptions.ts')).subscriptionsCommand],
])

/** Runs the command line and resolves to the exit code. */

export const main = async (argv: readonly string[], options: MainOptions): Promise<number> => {
  const out = options.out ?? process.stdout
  const err = options.err ?? process.stderr
  const print = (stream: Writable, text: string) => stream.write(`${text}\n`)
  const roles = options.roles ?? availableRoles()
  const [first, ...rest] = argv
  const untilStopped = () => options.untilStopped ?? signalled()

  if (!first || first === 'help' || first === '--help' || first === '-h') {
    print(out, helpText(options.version, roles, commands))
    return first ? 0 : 2
  }
  if (first === 'config' && rest.includes('--markdown')) {
    print(out, configurationReference())
    return 0
  }
  if (first === 'config' && rest.includes('--env-example')) {
    out.write(envExample())
    return 0
  }
  if (first === 'demo') {
    const { runDemo } = await import('../demo/run.ts')
    return runDemo({
      args: rest,
      env: options.env ?? process.env,
      print: (text) => print(out, text),
      untilStopped: untilStopped(),
      version: options.version,
    })
  }
  if (first === 'simulate') {
    const { simulate } = await import('./commands/simulate.ts')
    return simulate(rest, { print: (text) => print(out, text), untilStopped: untilStopped() })
  }

  const command = commands.find((c) => c.name === first)?.name
  const toRun = command
    ? []
    : first === 'all'
      ? [...roles]
      : argv.map((name) => roles.find((r) => r.name === name))
  const unknown = argv.filter((_name, i) => !command && first !== 'all' && !toRun[i])
  if (unknown.length > 0) {
    print(err, `callbridge: unknown role or command: ${unknown.join(', ')} (see callbridge --help)`)
    return 2
  }
  const selected = toRun.filter((r): r is Role => r !== undefined)

  let loaded: ReturnType<typeof loadConfig>
  try {
    loaded = loadConfig({
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      require: selected.flatMap((r) => r.requires),
    })
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ConfigFileError) {
      print(err, `callbridge: ${error.message}`)
      return 78 // EX_CONFIG
    }
    throw error
  }
  const { config } = loaded
  if (command === 'config') {
    print(out, formatEffectiveConfig(loaded))
    return 0
  }

  const logger = createLogger({
    service: config.OTEL_SERVICE_NAME,
    environment: config.CALLBRIDGE_ENV,
    version: options.version,
    level: config.LOG_LEVEL,
    secrets: secretValues(config),
  })
  const mainLogger = logger.child({ role: selected.map((r) => r.name).join('+') || first })
  const restoreWarnings = routeProcessWarnings(mainLogger)
  try {
    const loadCommand = command === undefined ? undefined : oneShotCommands.get(command)
    if (loadCommand) {
      const run = await loadCommand()
      return await run(rest, { config, logger: mainLogger, print: (text) => print(out, text) })
    }
    if (selected.length === 0)
      mainLogger.warn('no roles to run in this build; serving health endpoints only')
    // Imported here so `--help` and `config` load no client libraries.
    const { runRoles } = await import('../platform/runtime/run.ts')
    const running = await runRoles({
      roles: selected,
      config,
      logger,
      version: options.version,
      tracing: options.telemetry.enabled,
    })
    const reason = await untilStopped()
    mainLogger.info({ reason }, 'stop requested')
    await running.stop()
    return 0
  } catch (error) {
    mainLogger.fatal({ err: error }, 'callbridge failed')
    return 1
  } finally {
    restoreWarnings()
    await options.telemetry.shutdown()
    logger.flush()
  }
}
