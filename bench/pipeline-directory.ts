/**
 * The phone directory of bench:pipeline: one full sync of crm-sync's directory (the real Zoho
 * client and adapter, against the bench's simulator, into the run's Redis db) before the calls
 * are published, as a deployed crm-sync does on start. Its Zoho requests count in the run's total.
 */
import { directoryTimings, syncDirectoryOnce } from '../consumers/crm-sync/index.ts'
import { createZohoClient, createZohoCrm } from '../integrations/zoho/index.ts'
import { createRedisKv } from '../platform/kv/redis.ts'
import { simCredentials } from '../simulators/zoho/testing.ts'

export interface BenchDirectory {
  readonly leads: number
  readonly contacts: number
  readonly numbers: number
  readonly pages: number
  readonly ms: number
}

export const syncBenchDirectory = async (settings: {
  zohoUrl: string
  redisUrl: string
  concurrencyLimit: number
}): Promise<BenchDirectory> => {
  const kv = createRedisKv({ url: settings.redisUrl })
  try {
    const zoho = createZohoClient({
      accountsUrl: settings.zohoUrl,
      ...simCredentials,
      kv,
      concurrency: { limit: settings.concurrencyLimit },
    })
    const started = performance.now()
    const result = await syncDirectoryOnce({
      crm: createZohoCrm(zoho),
      kv,
      timings: directoryTimings(6 * 60 * 60 * 1000),
    })
    if (!result) throw new Error('directory lock taken: is another crm-sync using this Redis db?')
    const { leads, contacts, numbers, pages } = result
    return { leads, contacts, numbers, pages, ms: performance.now() - started }
  } finally {
    await kv.close()
  }
}
