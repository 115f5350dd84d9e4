/**
 * @module consumers/recording-attacher/role
 * The `recording-attacher` role: builds the RingCentral and Zoho clients from the configuration
 * (on the process's kv, so every replica shares one token and one set of budgets), the ledger on
 * the process's database, and runs the consumer on the bus.
 */

import { ringCentralFromConfig, zohoFromConfig } from '../../integrations/from-config.ts'
import { createZohoCrm } from '../../integrations/zoho/index.ts'
import type { Role } from '../../platform/runtime/role.ts'
import { callTopics } from '../../schemas/calls.ts'
import { createLedger } from '../ledger/ledger.ts'
import { startConsumer } from '../runtime/index.ts'
import { createRecordingAttacher } from './attacher.ts'

/**
 * Streams call recordings from RingCentral into Zoho attachments, once per recording.
 *
 * @example
 * ```sh
 * callbridge recording-attacher   # needs RINGCENTRAL_CLIENT_ID/SECRET/JWT and ZOHO_CLIENT_ID/SECRET/REFRESH_TOKEN
 * ```
 */
export const recordingAttacherRole: Role = {
  name: 'recording-attacher',
  summary: 'streams call recordings from RingCentral into Zoho attachments, once per recording',
  requires: [
    'RINGCENTRAL_CLIENT_ID',
    'RINGCENTRAL_CLIENT_SECRET',
    'RINGCENTRAL_JWT',
    'ZOHO_CLIENT_ID',
    'ZOHO_CLIENT_SECRET',
    'ZOHO_REFRESH_TOKEN',
  ],
  start: async ({ config, logger, bus, kv, db, health, metrics }) => {
    const ringcentral = ringCentralFromConfig(config, kv, logger)
    const zoho = zohoFromConfig(config, kv, logger)
    if (!ringcentral || !zoho) {
      ringcentral?.close()
      throw new Error(
        'recording-attacher needs RINGCENTRAL_CLIENT_ID, RINGCENTRAL_CLIENT_SECRET, RINGCENTRAL_JWT, ' +
          'ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN',
      )
    }
    health.add(ringcentral.health, { readiness: false })
    health.add(zoho.health, { readiness: false })
    await bus.ensureTopics([{ name: callTopics.recordingsAttached.name }])
    const definition = createRecordingAttacher({
      ringcentral,
      crm: createZohoCrm(zoho, { defaultRegion: config.ZOHO_PHONE_REGION }),
      ledger: createLedger(db),
      bus,
      maxBytes: config.RECORDING_MAX_BYTES,
    })
    let running: Awaited<ReturnType<typeof startConsumer>>
    try {
      running = await startConsumer({ bus, definition, logger, metrics })
    } catch (error) {
      ringcentral.close()
      throw error
    }
    return {
      stop: async () => {
        await running.stop()
        ringcentral.close()
      },
    }
  },
}
