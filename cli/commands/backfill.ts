/**
 * @module cli/commands/backfill
 * `callbridge backfill --from 2026-11-01 --to 2026-11-02`: publishes on `calls.completed` the
 * calls of a period (company call log) that the ledger does not know as completed yet, and prints
 * progress after every page. Dates are UTC days (`--to` day included) or ISO 8601 date-times.
 *
 * It uses the process's adapters (Kafka or the embedded log in DATA_DIR, Redis or memory, the
 * database). In one-process mode stop callbridge first (DATA_DIR belongs to one process). Without
 * REDIS_URL this process has its own RingCentral token and rate budget, not the running roles'.
 */
import { parseArgs } from 'node:util'
import type { Config } from '../../platform/config/vars.ts'
import type { Logger } from '../../platform/log/logger.ts'
import type { CommandInfo } from '../help.ts'

/** The command's line in `callbridge --help`. */
export const backfillCommandInfo: CommandInfo = {
  name: 'backfill',
  usage: 'backfill --from DATE --to DATE',
  summary:
    'publish the calls of a period (call log) that never reached calls.completed; DATE is YYYY-MM-DD (UTC, --to included) or ISO 8601',
}

const usage = 'usage: callbridge backfill --from YYYY-MM-DD --to YYYY-MM-DD'
const DAY_MS = 24 * 60 * 60 * 1000
const dateOnly = /^\d{4}-\d{2}-\d{2}$/
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * Reads a `--from`/`--to` value; a date-only `--to` means the end of that day. Undefined when it is
 * not a real date (`2026-02-30` included).
 */
export const parseBackfillDate = (text: string, end: boolean): Date | undefined => {
  if (dateOnly.test(text)) {
    const ms = Date.parse(`${text}T00:00:00.000Z`)
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return undefined
    return new Date(end ? ms + DAY_MS : ms)
  }
  if (!dateTime.test(text)) return undefined
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : new Date(ms)
}

const readArgs = (args: readonly string[]) => {
  try {
    const options = { from: { type: 'string' }, to: { type: 'string' } } as const
    return parseArgs({ args: [...args], options }).values
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

const parse = (args: readonly string[]): { from: Date; to: Date } | string => {
  const values = readArgs(args)
  if (typeof values === 'string') return values
  if (values.from === undefined || values.to === undefined) return 'both --from and --to are needed'
  const from = parseBackfillDate(values.from, false)
  const to = parseBackfillDate(values.to, true)
  if (!from) return `--from ${values.from} is not a date (YYYY-MM-DD or ISO 8601)`
  if (!to) return `--to ${values.to} is not a date (YYYY-MM-DD or ISO 8601)`
  if (from.getTime() >= to.getTime()) return '--from must be before --to'
  return { from, to }
}

/**
 * Runs `callbridge backfill` and resolves to the exit code (0 done, 1 failed, 2 usage, 78
 * RingCentral not configured).
 */
export const backfillCommand = async (
  args: readonly string[],
  { config, logger, print }: { config: Config; logger: Logger; print: (text: string) => void },
): Promise<number> => {
  const period = parse(args)
  if (typeof period === 'string') {
    print(`callbridge backfill: ${period}`)
    print(usage)
    return 2
  }
  if (
    !config.RINGCENTRAL_CLIENT_ID ||
    !config.RINGCENTRAL_CLIENT_SECRET ||
    !config.RINGCENTRAL_JWT
  ) {
    print(
      'callbridge backfill: set RINGCENTRAL_CLIENT_ID, RINGCENTRAL_CLIENT_SECRET and RINGCENTRAL_JWT',
    )
    return 78
  }
  const { from, to } = period
  print(`backfill ${from.toISOString()} .. ${to.toISOString()}`)
  if (!config.REDIS_URL) {
    print(
      "note: without REDIS_URL this process does not share the running roles' RingCentral budget",
    )
  }
  try {
    // Imported here so `--help` loads no client libraries.
    const { createAdapters } = await import('../../platform/runtime/adapters.ts')
    const { ringCentralFromConfig } = await import('../../integrations/from-config.ts')
    const { createLedger } = await import('../../consumers/ledger/ledger.ts')
    const { backfill, completedEvent, phoneRegion } = await import(
      '../../consumers/call-tracker/index.ts'
    )
    const adapters = await createAdapters(config, logger, 'backfill')
    const rc = ringCentralFromConfig(config, adapters.kv, logger)
    try {
      if (!rc) throw new Error('RingCentral is not configured')
      await adapters.bus.ensureTopics([{ name: completedEvent.topic }])
      const result = await backfill({
        rc,
        bus: adapters.bus,
        ledger: createLedger(adapters.db),
        logger,
        region: phoneRegion(config.ZOHO_PHONE_REGION),
        from,
        to,
        onProgress: (p) =>
          print(
            `page ${p.pages}: ${p.records} records seen, ${p.published} calls published, ${p.skipped} skipped`,
          ),
      })
      print(
        `done: ${result.records} records in ${result.pages} pages, ${result.published} calls published, ${result.skipped} skipped`,
      )
      return 0
    } finally {
      rc?.close()
      await adapters.close()
    }
  } catch (error) {
    print(`callbridge backfill: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}
