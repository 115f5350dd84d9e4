/**
 * @module integrations/from-config
 * Builds the RingCentral and Zoho clients from the configuration, when their credentials are set.
 * Every replica builds its own client on the SAME kv, which is how they share one token and one
 * set of rate budgets.
 */
import type { Config } from '../platform/config/vars.ts'
import type { Kv } from '../platform/kv/port.ts'
import type { Logger } from '../platform/log/logger.ts'
import { createRingCentralClient, type RingCentralClient } from './ringcentral/index.ts'
import { createZohoClient, type ZohoClient } from './zoho/index.ts'

/** The RingCentral client, or undefined when RINGCENTRAL_CLIENT_ID/SECRET/JWT are not all set. */
export const ringCentralFromConfig = (
  config: Config,
  kv: Kv,
  logger: Logger,
): RingCentralClient | undefined => {
  const {
    RINGCENTRAL_CLIENT_ID: clientId,
    RINGCENTRAL_CLIENT_SECRET: clientSecret,
    RINGCENTRAL_JWT: jwt,
  } = config
  if (!clientId || !clientSecret || !jwt) return undefined
  return createRingCentralClient({
    serverUrl: config.RINGCENTRAL_SERVER_URL,
    clientId,
    clientSecret,
    jwt,
    kv,
    logger: logger.child({ component: 'ringcentral' }),
  })
}

/** The Zoho client, or undefined when ZOHO_CLIENT_ID/SECRET/REFRESH_TOKEN are not all set. */
export const zohoFromConfig = (config: Config, kv: Kv, logger: Logger): ZohoClient | undefined => {
  const {
    ZOHO_CLIENT_ID: clientId,
    ZOHO_CLIENT_SECRET: clientSecret,
    ZOHO_REFRESH_TOKEN: refreshToken,
  } = config
  if (!clientId || !clientSecret || !refreshToken) return undefined
  return createZohoClient({
    accountsUrl: config.ZOHO_ACCOUNTS_URL,
    clientId,
    clientSecret,
    refreshToken,
    kv,
    concurrency: { limit: config.ZOHO_CONCURRENCY_LIMIT },
    defaultRegion: config.ZOHO_PHONE_REGION,
    logger: logger.child({ component: 'zoho' }),
  })
}
