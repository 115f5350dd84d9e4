/**
 * @module consumers/crm-sync/handler
 * The crm-sync handler, for each `zoho.webhooks` event: the evictions of changes.ts applied to
 * the lead-matcher's phone cache. Evictions are idempotent, so redelivery and replays are safe;
 * a kv failure is thrown, and the runtime retries.
 */
import type { Registry } from 'prom-client'
import { Counter } from 'prom-client'
import type { ZohoWebhookEvent } from '../../schemas/webhook-event.ts'
import type { PhoneCache } from '../lead-matcher/phone-cache.ts'
import type { HandlerContext } from '../runtime/index.ts'
import { cacheChangesOf } from './changes.ts'

/** What the handler works with. */
export interface CrmSyncPorts {
  /** The lead-matcher's cache (only its evictions are used). */
  readonly cache: Pick<PhoneCache, 'forgetPerson' | 'forgetNumber'>
  /** Country of numbers stored in Zoho without a country code (ZOHO_PHONE_REGION). */
  readonly region: string
  readonly metrics: CrmSyncMetrics
}

/** What the handler reports. */
export interface CrmSyncMetrics {
  notification(outcome: 'applied' | 'ignored'): void
  evicted(count: number): void
}

const counter = (registry: Registry, name: string, help: string, labelNames: string[]) => {
  const existing = registry.getSingleMetric(name)
  return existing instanceof Counter
    ? existing
    : new Counter({ name, help, labelNames, registers: [registry] })
}

/** The crm-sync instruments on `registry` (reused when already registered). */
export const crmSyncMetrics = (registry: Registry): CrmSyncMetrics => {
  const notifications = counter(
    registry,
    'callbridge_crm_sync_notifications_total',
    'Zoho notifications by outcome: applied (cache entries evicted or checked) or ignored (nothing cached changed).',
    ['outcome'],
  )
  const evicted = counter(
    registry,
    'callbridge_crm_sync_evicted_numbers_total',
    'Phone-cache entries evicted because Zoho reported their record changed.',
    [],
  )
  return {
    notification: (outcome) => notifications.inc({ outcome }),
    evicted: (count) => evicted.inc(count),
  }
}

/**
 * Creates the handler of `zoho.webhooks`.
 * @example
 * ```ts
 * const handle = createCrmSyncHandler({ cache: createPhoneCache({ kv }), region: 'US', metrics })
 * ```
 */
export const createCrmSyncHandler =
  ({ cache, region, metrics }: CrmSyncPorts) =>
  async (event: ZohoWebhookEvent, { logger }: HandlerContext): Promise<void> => {
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
