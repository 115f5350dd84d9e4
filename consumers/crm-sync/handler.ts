/**
 * @module consumers/crm-sync/handler
 * The crm-sync handler, for each `zoho.webhooks` event. With the phone directory (crm-sync can
 * read Zoho): the changed leads and contacts are read by id and their current numbers written,
 * deleted ones forgotten (directory-changes.ts, directory-refresh.ts). Without it: the evictions
 * of changes.ts, and the next call from an evicted number asks Zoho again. Both are idempotent,
 * so redelivery and replays are safe; a Zoho or kv failure is thrown, and the runtime retries.
 */
import type { ZohoWebhookEvent } from '../../schemas/webhook-event.ts'
import type { PhoneCache } from '../lead-matcher/phone-cache.ts'
import type { HandlerContext } from '../runtime/index.ts'
import { cacheChangesOf } from './changes.ts'
import { directoryActionOf } from './directory-changes.ts'
import { applyDirectoryAction, type DirectoryRefreshPorts } from './directory-refresh.ts'
import type { CrmSyncMetrics } from './metrics.ts'

export type { CrmSyncMetrics } from './metrics.ts'
export { crmSyncMetrics } from './metrics.ts'

/** What the handler works with. */
export interface CrmSyncPorts {
  /** The lead-matcher's cache (only its evictions are used). */
  readonly cache: Pick<PhoneCache, 'forgetPerson' | 'forgetNumber'>
  /** Country of numbers stored in Zoho without a country code (ZOHO_PHONE_REGION). */
  readonly region: string
  readonly metrics: CrmSyncMetrics
  /** The phone directory (Zoho reads by id); absent: evictions only. */
  readonly directory?: Omit<DirectoryRefreshPorts, 'cache'>
}

const evictOnly = async (
  { cache, region, metrics }: CrmSyncPorts,
  event: ZohoWebhookEvent,
  { logger }: HandlerContext,
) => {
  const { payload } = event
  const { changes, ignored } = cacheChangesOf(payload, region)
  if (ignored !== undefined) {
    metrics.notification('ignored')
    logger.debug({ kind: event.kind, reason: ignored }, 'notification changes nothing cached')
    return
  }
  let evicted = 0
  for (const change of changes) {
    if (change.kind === 'forget-person') {
      evicted += (await cache.forgetPerson(change.module, change.id)).length
    } else if (await cache.forgetNumber(change.e164, { unlessId: change.unlessId })) {
      evicted += 1
    }
  }
  metrics.notification('applied')
  metrics.evicted(evicted)
  logger.info(
    { kind: event.kind, ids: payload.ids.map(String), evicted },
    'phone cache updated from a Zoho notification',
  )
}

/**
 * Creates the handler of `zoho.webhooks`.
 * @example
 * ```ts
 * const handle = createCrmSyncHandler({ cache: createPhoneCache({ kv }), region: 'US', metrics, directory: { crm, kv, timings } })
 * ```
 */
export const createCrmSyncHandler =
  (ports: CrmSyncPorts) =>
  async (event: ZohoWebhookEvent, context: HandlerContext): Promise<void> => {
    const { directory, metrics } = ports
    if (!directory) return evictOnly(ports, event, context)
    const action = directoryActionOf(event.payload)
    if (action.kind === 'ignore') {
      metrics.notification('ignored')
      context.logger.debug({ kind: event.kind, reason: action.reason }, 'notification ignored')
      return
    }
    const outcome = await applyDirectoryAction({ ...directory, cache: ports.cache }, action)
    metrics.notification('applied')
    metrics.evicted(outcome.evicted)
    metrics.refreshed(outcome.refreshed)
    context.logger.info(
      { kind: event.kind, module: action.module, ids: action.ids, ...outcome },
      'phone directory updated from a Zoho notification',
    )
  }
