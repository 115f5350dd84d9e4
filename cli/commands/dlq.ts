/**
 * @module cli/commands/dlq
 * `callbridge dlq list <topic> [--consumer NAME]` and
 * `callbridge dlq replay <topic> [--id ID ...] [--consumer NAME]`: what is parked in `<topic>.dlq`,
 * and republishing it to `<topic>` for the consumer that parked it. The bus comes from the
 * configuration (Kafka when KAFKA_BROKERS is set, else the embedded log in DATA_DIR, which only
 * one process may open: stop callbridge first in one-process mode).
 */
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { listDlq, replayDlq } from '../../consumers/runtime/replay.ts'
import type { Config } from '../../platform/config/vars.ts'
import { createLogger, type Logger } from '../../platform/log/logger.ts'
import type { CommandInfo } from '../help.ts'

/** The command's line in `callbridge --help`. */
export const dlqCommandInfo: CommandInfo = {
  name: 'dlq',
  usage: 'dlq list|replay <topic> [--id ID ...]',
  summary:
    'list the events parked in <topic>.dlq, or replay them (all, or by ce_id) to <topic>; --consumer NAME narrows both',
}

const usage =
  'usage: callbridge dlq list <topic> [--consumer NAME]\n' +
  '       callbridge dlq replay <topic> [--id ID ...] [--consumer NAME]'

export interface DlqCommandOptions {
  readonly config: Config
  /** Writes one line of output. */
  readonly print: (text: string) => void
  /** For the bus's warnings (Kafka). Default: a logger writing to stderr at LOG_LEVEL. */
  readonly logger?: Logger
}

const parse = (args: readonly string[]) => {
  try {
    const { positionals, values } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { id: { type: 'string', multiple: true }, consumer: { type: 'string' } },
    })
    const [action, topic, ...extra] = positionals
    if ((action !== 'list' && action !== 'replay') || !topic || extra.length > 0) return undefined
    if (action === 'list' && values.id) return undefined
    return { action, topic, ids: values.id ?? [], consumer: values.consumer }
  } catch {
    return undefined
  }
}

/** Runs `callbridge dlq ...` and resolves to the exit code (2: usage, 1: failure or ids not found). */
export const dlqCommand = async (
  args: readonly string[],
  { config, print, logger: given }: DlqCommandOptions,
): Promise<number> => {
  const command = parse(args)
  if (!command) {
    print(usage)
    return 2
  }
  const { action, topic, ids, consumer } = command
  // Output goes through `print`; log lines (Kafka warnings) go to stderr unless a logger is given.
  const logger =
    given ??
    createLogger({
      service: config.OTEL_SERVICE_NAME,
      environment: config.CALLBRIDGE_ENV,
      version: 'cli',
      level: config.LOG_LEVEL,
      destination: pino.destination({ dest: 2, sync: true }),
    }).child({ role: 'dlq' })
  try {
    // Imported here so `--help` loads no client libraries.
    const { createAdapters } = await import('../../platform/runtime/adapters.ts')
    const adapters = await createAdapters(config, logger, 'dlq')
    try {
      const scope = { bus: adapters.bus, topic, ...(consumer === undefined ? {} : { consumer }) }
      if (action === 'list') {
        const { entries, malformed } = await listDlq(scope)
        for (const entry of entries) {
          print(
            [
              `${entry.partition}:${entry.offset}`,
              entry.id ?? '-',
              entry.consumer,
              `attempts=${entry.attempts}`,
              entry.parkedAt,
              `${entry.reason}: ${entry.error.split('\n')[0]}`,
            ].join('  '),
          )
        }
        print(
          `${entries.length} entries in ${topic}.dlq${malformed ? `, ${malformed} malformed` : ''}`,
        )
        return 0
      }
      const result = await replayDlq({
        ...scope,
        ids,
        onProgress: ({ total, scanned, replayed }) => {
          if (scanned > 0 && (scanned % 100 === 0 || scanned === total)) {
            print(`read ${scanned}/${total}, replayed ${replayed}`)
          }
        },
      })
      print(`replayed ${result.replayed} of ${result.total} entries in ${topic}.dlq to ${topic}`)
      if (result.missingIds.length === 0) return 0
      print(`not found: ${result.missingIds.join(', ')}`)
      return 1
    } finally {
      await adapters.close()
    }
  } catch (error) {
    print(`callbridge dlq: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  } finally {
    logger.flush()
  }
}
