/**
 * @module consumers/recording-attacher/test-support
 * What the attacher's tests share, all real parts: the RingCentral simulator (recordings on its
 * media host) with the real client, the Zoho simulator with the real client and CRM adapter, the
 * memory kv, a PGlite ledger, the embedded bus and the consumer runtime. Tests only.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { Crm, CrmPerson } from '../../integrations/crm/port.ts'
import {
  createRingCentralClient,
  type RingCentralClient,
} from '../../integrations/ringcentral/index.ts'
import { simCredentials } from '../../integrations/ringcentral/test-support.ts'
import { createZohoCrm } from '../../integrations/zoho/crm.ts'
import { startZohoHarness, type ZohoHarness } from '../../integrations/zoho/testing.ts'
import type { BusMessage } from '../../platform/bus/port.ts'
import { createPgliteDb } from '../../platform/db/pglite.ts'
import type { Db } from '../../platform/db/port.ts'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import type { Kv } from '../../platform/kv/port.ts'
import { type CallMatched, callTopics } from '../../schemas/calls.ts'
import { audioStream, seedOf } from '../../simulators/ringcentral/audio.ts'
import {
  type RingCentralSimulatorOptions,
  type StartedRingCentralSimulator,
  startRingCentralSimulator,
} from '../../simulators/ringcentral/index.ts'
import type { ZohoSimulatorOptions } from '../../simulators/zoho/index.ts'
import { createLedger } from '../ledger/ledger.ts'
import { openFixture } from '../runtime/test-fixture.ts'
import { publishEvent } from '../shared/publish.ts'

/** sha256 (hex) of the simulator's recording content: the bytes Zoho must have received. */
export const simRecordingSha256 = async (recordingId: string, size: number): Promise<string> => {
  const hash = createHash('sha256')
  for await (const chunk of audioStream(seedOf(recordingId), size)) hash.update(chunk)
  return hash.digest('hex')
}

/** The media URL of a simulator recording, as a call-log record's `recording.contentUri`. */
export const contentUriOf = (rc: StartedRingCentralSimulator, recordingId: string): string =>
  `${rc.mediaUrl}/restapi/v1.0/account/~/recording/${recordingId}/content`

/** A RingCentral client on the simulator with budgets that never get in a test's way. */
export const rcClient = (rc: StartedRingCentralSimulator, kv: Kv): RingCentralClient =>
  createRingCentralClient({
    serverUrl: rc.url,
    ...simCredentials,
    kv,
    budgets: { Heavy: 10_000, Medium: 10_000, Light: 10_000 },
  })

/** A `calls.matched` value for a recorded call. */
export const matchedEvent = (
  call: { telephonySessionId: string; recordingId: string; contentUri: string },
  person: CrmPerson,
): CallMatched => ({
  call: {
    telephonySessionId: call.telephonySessionId,
    direction: 'Inbound',
    result: 'answered',
    external: { phoneNumber: '+14155550100', name: 'ACME CORP' },
    internal: { phoneNumber: '+16505550111' },
    extensionId: '2002',
    startTime: '2026-03-02T10:15:00.000Z',
    durationS: 45,
    voicemail: false,
    recording: { id: call.recordingId, contentUri: call.contentUri, contentType: 'audio/mpeg' },
    callLogIds: ['cl-1'],
    source: 'webhook',
  },
  person: { module: person.module, id: person.id, ...(person.name ? { name: person.name } : {}) },
  createdLead: false,
  crmCallId: 'call-1',
  crmNoteId: null,
})

/** A fresh PGlite database with the migrations applied. */
export const openDb = async (): Promise<Db> => {
  const db = await createPgliteDb({})
  await db.migrate()
  return db
}

export interface HarnessOptions {
  readonly rc?: RingCentralSimulatorOptions
  readonly zoho?: ZohoSimulatorOptions
}

let seed = Math.floor(Math.random() * 1_000_000)

/**
 * Simulators, clients, ledger and a bus for one test; `close()` stops them. Every harness seeds
 * its RingCentral simulator differently, so session and recording ids never repeat in a ledger.
 */
export const openHarness = async (db: Db, options: HarnessOptions = {}) => {
  seed += 1
  const rc = await startRingCentralSimulator({
    seed,
    rateLimits: false,
    callLogDelayMs: 0,
    recordingDelayMs: 0,
    ...options.rc,
  })
  const zoho: ZohoHarness = await startZohoHarness(options.zoho)
  const kv = createMemoryKv()
  const ringcentral = rcClient(rc, kv)
  const crm: Crm = createZohoCrm(zoho.client())
  const fx = openFixture()
  const ledger = createLedger(db)

  /** Everything published to `topic`, read by a group of its own. */
  const collect = async (topic: string): Promise<BusMessage[]> => {
    const received: BusMessage[] = []
    await fx.bus.ensureTopics([{ name: topic }])
    await fx.bus.subscribe({
      groupId: `spy-${randomUUID()}`,
      topics: [topic],
      handler: async (message) => {
        received.push(message)
      },
    })
    return received
  }

  /** A recorded call on the simulator and a lead in Zoho: the `calls.matched` value for both. */
  const recordedCall = async (phone = '+14155550100'): Promise<CallMatched> => {
    const call = await rc.sim.placeCall({
      direction: 'Inbound',
      from: phone,
      to: '+16505550111',
      result: 'answered',
      durationS: 45,
      recording: true,
    })
    const recordingId = call.recordingId
    if (!recordingId) throw new Error('the simulator did not record the call')
    const person = await crm.createLead({ lastName: 'Caller', phone })
    const event = matchedEvent(
      {
        telephonySessionId: call.telephonySessionId,
        recordingId,
        contentUri: contentUriOf(rc, recordingId),
      },
      person,
    )
    // The call-tracker writes the call row before the lead-matcher and the attacher see the call.
    await ledger.recordCompleted(event.call)
    return event
  }

  /** Publishes `event` to `calls.matched` as the lead-matcher does. */
  const publishMatched = (event: CallMatched) =>
    publishEvent(fx.bus, {
      topic: callTopics.callsMatched.name,
      key: event.call.telephonySessionId,
      id: `matched:${event.call.telephonySessionId}`,
      type: 'callbridge.call.matched',
      source: '/callbridge/lead-matcher',
      value: event,
    })

  return {
    rc,
    zoho,
    ringcentral,
    crm,
    ledger,
    fx,
    collect,
    recordedCall,
    publishMatched,
    close: async () => {
      await fx.close()
      ringcentral.close()
      await Promise.all([rc.close(), zoho.close(), kv.close()])
    },
  }
}

export type Harness = Awaited<ReturnType<typeof openHarness>>
