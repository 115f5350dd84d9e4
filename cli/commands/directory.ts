/**
 * @module cli/commands/directory
 * `callbridge directory sync|status`: crm-sync's phone directory of the CRM. `sync` runs one full
 * sync now in this process (under the same kv lock as the crm-sync replicas, printing progress
 * after every page); `status` prints the last complete sync, a sync in progress, and whether the
 * lead-matcher trusts the directory. Both need the kv the roles share (REDIS_URL): without it the
 * directory lives inside the running process and this one cannot see it.
 */
import type { Config } from '../../platform/config/vars.ts'
import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import type { CommandInfo } from '../help.ts'

/** The command's line in `callbridge --help`. */
export const directoryCommandInfo: CommandInfo = {
  name: 'directory',
  usage: 'directory sync|status',
  summary:
    "sync crm-sync's phone directory of Zoho leads and contacts now (progress printed), or show its last full sync and whether the lead-matcher trusts it",
}

const usage = [
  'usage: callbridge directory sync|status',
  '  sync    one full sync now: every lead and contact (1 Zoho request per 200), progress printed;',
  '          refused while a crm-sync replica is syncing (exit 1)',
  '  status  the last complete sync, a sync in progress, and how LEAD_MATCH_DIRECTORY uses it',
  'Needs REDIS_URL (the kv the roles share); sync also needs the ZOHO_* credentials.',
].join('\n')

export interface DirectoryCommandOptions {
  readonly config: Config
  readonly logger: Logger
  readonly print: (text: string) => void
  /** The shared kv; default: Redis at REDIS_URL. */
  readonly kv?: Kv
  readonly now?: () => number
}

const iso = (ms: number) => new Date(ms).toISOString()
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`

const status = async (kv: Kv, config: Config, now: number, print: (text: string) => void) => {
  const { isFresh, readMarker, readProgress } = await import('../../consumers/crm-sync/index.ts')
  const marker = await readMarker(kv)
  const progress = await readProgress(kv)
  if (marker) {
    print(
      `last full sync: completed ${iso(marker.completedAt)} (${minutes(now - marker.completedAt)} ago, took ${Math.round((marker.completedAt - marker.startedAt) / 1000)} s)`,
    )
    print(
      `  ${marker.leads} leads, ${marker.contacts} contacts, ${marker.numbers} numbers (${marker.unreadable} unreadable phone values), ${marker.pages} pages, ${marker.removedPeople} people removed`,
    )
    print(`  fresh until ${iso(marker.freshUntil)}${isFresh(marker, now) ? '' : ' (STALE)'}`)
  } else {
    print('last full sync: none complete (or its marker expired): misses are searched in Zoho')
  }
  if (progress && progress.phase !== 'done') {
    const state = progress.phase === 'failed' ? `failed: ${progress.error ?? '?'}` : 'running'
    print(
      `sync started ${iso(progress.startedAt)}: ${state}, phase ${progress.phase}, ${progress.pages} pages, ${progress.people} people read, ${progress.done} done (updated ${iso(progress.updatedAt)})`,
    )
  }
  const trusted = config.LEAD_MATCH_DIRECTORY === 'trust' && isFresh(marker, now)
  print(
    `LEAD_MATCH_DIRECTORY=${config.LEAD_MATCH_DIRECTORY}: ${trusted ? 'numbers not in the directory are trusted to be new callers (no search)' : 'numbers not in the directory are searched in Zoho'}`,
  )
}

const sync = async (kv: Kv, options: DirectoryCommandOptions): Promise<number> => {
  const { config, logger, print } = options
  const { zohoFromConfig } = await import('../../integrations/from-config.ts')
  const { createZohoCrm } = await import('../../integrations/zoho/index.ts')
  const { directoryTimings, syncDirectoryOnce } = await import('../../consumers/crm-sync/index.ts')
  const zoho = zohoFromConfig(config, kv, logger)
  if (!zoho) {
    print(
      'callbridge directory sync: set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN',
    )
    return 78
  }
  if (config.LEAD_MATCH_DIRECTORY === 'off') {
    print('note: LEAD_MATCH_DIRECTORY=off: the lead-matcher does not use the directory')
  }
  const result = await syncDirectoryOnce({
    crm: createZohoCrm(zoho),
    kv,
    timings: directoryTimings(config.DIRECTORY_SYNC_INTERVAL_S * 1000),
    ...(options.now ? { now: options.now } : {}),
    onProgress: (p) =>
      print(
        p.phase === 'reading'
          ? `page ${p.pages}: ${p.people} people read`
          : `${p.phase}: ${p.done} of ${p.people} people`,
      ),
  })
  if (!result) {
    print('callbridge directory sync: a sync is running already (see callbridge directory status)')
    return 1
  }
  print(
    `done: ${result.leads} leads, ${result.contacts} contacts, ${result.numbers} numbers in ${result.pages} pages; ${result.evicted} numbers evicted, ${result.removedPeople} people removed, ${result.skipped} skipped (changed meanwhile)`,
  )
  return 0
}

/**
 * Runs `callbridge directory` and resolves to the exit code (0 done, 1 failed or busy, 2 usage,
 * 78 not configured).
 */
export const directoryCommand = async (
  args: readonly string[],
  options: DirectoryCommandOptions,
): Promise<number> => {
  const { config, print } = options
  const action = args[0]
  if (action === '--help' || action === '-h' || action === 'help') {
    print(`${directoryCommandInfo.summary}\n${usage}`)
    return 0
  }
  if ((action !== 'sync' && action !== 'status') || args.length > 1) {
    print(usage)
    return 2
  }
  if (!options.kv && !config.REDIS_URL) {
    print(
      'callbridge directory: REDIS_URL is not set, so the directory lives inside the running callbridge process (see its log and /metrics)',
    )
    return 78
  }
  const kv =
    options.kv ??
    (await import('../../platform/kv/redis.ts')).createRedisKv({ url: config.REDIS_URL ?? '' })
  try {
    if (action === 'status') {
      await status(kv, config, (options.now ?? Date.now)(), print)
      return 0
    }
    return await sync(kv, options)
  } catch (error) {
    print(
      `callbridge directory ${action}: ${error instanceof Error ? error.message : String(error)}`,
    )
    return 1
  } finally {
    if (!options.kv) await kv.close()
  }
}
