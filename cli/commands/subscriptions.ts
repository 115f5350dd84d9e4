/**
 * @module cli/commands/subscriptions
 * `callbridge subscriptions status|ensure`: shows, or repairs, the RingCentral webhook subscription
 * and the Zoho watch channel with the same keepers the gateway runs. It needs the kv the gateway
 * uses (REDIS_URL) to share what the keepers remember and the Zoho channel token; without Redis it
 * refuses to repair unless ZOHO_WEBHOOK_TOKEN makes the token independent of the kv.
 */
import { keepersFromConfig } from '../../gateway/keepers/from-config.ts'
import type { Config } from '../../platform/config/vars.ts'
import type { Logger } from '../../platform/log/logger.ts'

export const subscriptionsCommand = async (
  args: readonly string[],
  { config, logger, print }: { config: Config; logger: Logger; print: (text: string) => void },
): Promise<number> => {
  const action = args[0]
  if (action !== 'status' && action !== 'ensure') {
    print('usage: callbridge subscriptions status|ensure')
    return 2
  }
  if (
    action === 'ensure' &&
    !config.REDIS_URL &&
    !config.ZOHO_WEBHOOK_TOKEN &&
    config.ZOHO_CLIENT_ID
  ) {
    print(
      'subscriptions ensure: without REDIS_URL this process cannot share the Zoho channel token with the gateway; set REDIS_URL (or ZOHO_WEBHOOK_TOKEN)',
    )
    return 78
  }
  const kv = config.REDIS_URL
    ? (await import('../../platform/kv/redis.ts')).createRedisKv({ url: config.REDIS_URL })
    : (await import('../../platform/kv/memory.ts')).createMemoryKv()
  const keepers = keepersFromConfig(config, kv, logger)
  try {
    for (const reason of keepers.skipped) print(`skipped: ${reason}`)
    let failed = false
    const run = async (name: string, work: () => Promise<unknown>) => {
      try {
        print(`${name}: ${JSON.stringify(await work(), null, 2)}`)
      } catch (error) {
        failed = true
        print(`${name}: FAILED: ${(error as Error).message}`)
      }
    }
    const { ringcentral, zoho } = keepers
    if (ringcentral)
      await run('ringcentral', () =>
        action === 'ensure' ? ringcentral.ensure() : ringcentral.status(),
      )
    if (zoho) await run('zoho', () => (action === 'ensure' ? zoho.ensure() : zoho.status()))
    return failed ? 1 : 0
  } finally {
    keepers.close()
    await kv.close()
  }
}
