/**
 * @module gateway/keepers/from-config
 * The keepers the configuration asks for: the RingCentral subscription when PUBLIC_URL and the
 * RingCentral credentials are set, the Zoho watch channel when PUBLIC_URL and the Zoho credentials
 * are set. Shared by the gateway role and `callbridge subscriptions`.
 */
import { ringCentralFromConfig, zohoFromConfig } from '../../integrations/from-config.ts'
import type { Config } from '../../platform/config/vars.ts'
import type { HealthCheck } from '../../platform/health/check.ts'
import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import { createRingCentralKeeper, type RingCentralKeeper } from './ringcentral-keeper.ts'
import { createZohoKeeper, type ZohoKeeper } from './zoho-keeper.ts'

export interface Keepers {
  readonly ringcentral?: RingCentralKeeper
  readonly zoho?: ZohoKeeper
  /** Token health of the clients the keepers use. */
  readonly health: readonly HealthCheck[]
  /** Why a keeper is not running, for the start-up log and `subscriptions status`. */
  readonly skipped: readonly string[]
  close(): void
}

export const keepersFromConfig = (config: Config, kv: Kv, logger: Logger): Keepers => {
  const skipped: string[] = []
  const health: HealthCheck[] = []
  const publicUrl = config.PUBLIC_URL?.replace(/\/+$/, '')
  const rc = ringCentralFromConfig(config, kv, logger)
  const zoho = zohoFromConfig(config, kv, logger)
  if (rc) health.push(rc.health)
  if (zoho) health.push(zoho.health)

  let ringcentral: RingCentralKeeper | undefined
  const currentToken = config.RINGCENTRAL_WEBHOOK_TOKEN?.[0]
  if (!publicUrl) skipped.push('RingCentral subscription and Zoho channel: PUBLIC_URL is not set')
  else if (!rc)
    skipped.push('RingCentral subscription: RINGCENTRAL_CLIENT_ID/SECRET/JWT are not all set')
  else if (!currentToken)
    skipped.push('RingCentral subscription: RINGCENTRAL_WEBHOOK_TOKEN is not set')
  else {
    ringcentral = createRingCentralKeeper({
      api: rc,
      kv,
      address: `${publicUrl}/webhooks/ringcentral`,
      eventFilters: config.RINGCENTRAL_EVENT_FILTERS,
      verificationToken: currentToken,
      logger,
    })
  }

  let zohoKeeper: ZohoKeeper | undefined
  if (publicUrl && !zoho)
    skipped.push('Zoho channel: ZOHO_CLIENT_ID/SECRET/REFRESH_TOKEN are not all set')
  else if (publicUrl && zoho) {
    const secret = config.ZOHO_WEBHOOK_QUERY_SECRET
    zohoKeeper = createZohoKeeper({
      api: zoho.watch,
      kv,
      channelId: config.ZOHO_WATCH_CHANNEL_ID,
      events: config.ZOHO_WATCH_EVENTS,
      notifyUrl: `${publicUrl}/webhooks/zoho${secret ? `?secret=${encodeURIComponent(secret)}` : ''}`,
      ...(config.ZOHO_WEBHOOK_TOKEN ? { token: config.ZOHO_WEBHOOK_TOKEN } : {}),
      logger,
    })
  }
  return {
    ...(ringcentral ? { ringcentral } : {}),
    ...(zohoKeeper ? { zoho: zohoKeeper } : {}),
    health,
    skipped,
    close: () => rc?.close(),
  }
}
