import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createZohoCrm } from '../../integrations/zoho/crm.ts'
import type { Bus } from '../../platform/bus/port.ts'
import type { Db } from '../../platform/db/port.ts'
import { RecordingAttached } from '../../schemas/calls.ts'
import { dlqEntryOf, text } from '../runtime/test-fixture.ts'
import { createRecordingAttacher, type RecordingAttacherOptions } from './attacher.ts'
import {
  type Harness,
  type HarnessOptions,
  openDb,
  openHarness,
  simRecordingSha256,
} from './test-support.ts'

const KiB = 1024
const MiB = 1024 * KiB

let db: Db
beforeAll(async () => {
  db = await openDb()
})
afterAll(() => db.close())

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** Starts a harness and the attacher on it, with fast retries. */
const start = async (
  options: HarnessOptions = {},
  overrides: Partial<RecordingAttacherOptions> = {},
) => {
  const harness = await openHarness(db, options)
  h = harness
  await harness.fx.start(
    createRecordingAttacher({
      ringcentral: harness.ringcentral,
      crm: harness.crm,
      ledger: harness.ledger,
      bus: harness.fx.bus,
      backoff: { baseMs: 50, maxMs: 200 },
      ...overrides,
    }),
  )
  return harness
}

/** The first item, which the test has waited for. */
const first = <T>(items: readonly T[]): T => {
  const item = items[0]
  if (item === undefined) throw new Error('expected at least one item')
  return item
}

const attachmentsOf = (harness: Harness, personId: string) =>
  harness.zoho.sim.state.attachments().filter((a) => a.recordId === personId)

describe('recording-attacher', () => {
  it('attaches a recording once: the same event twice gives one attachment, byte for byte, and one announcement', async () => {
    const harness = await start({ rc: { recordingBytes: 200 * KiB } })
    const announced = await harness.collect('recordings.attached')
    const event = await harness.recordedCall()
    const recordingId = event.call.recording?.id ?? ''

    await harness.publishMatched(event)
    await harness.publishMatched(event)
    await harness.fx.until(() => announced.length === 1, 'the announcement')
    const handled = () =>
      harness.fx.metricValue('callbridge_consumer_messages_total', {
        consumer: 'recording-attacher',
        outcome: 'ok',
      })
    await harness.fx.until(async () => (await handled()) === 2, 'both copies handled')

    const attachments = attachmentsOf(harness, event.person.id)
    expect(attachments).toHaveLength(1)
    expect(attachments[0]).toMatchObject({
      module: 'Leads',
      size: 200 * KiB,
      sha256: await simRecordingSha256(recordingId, 200 * KiB),
      fileName: `call-recording-2026-03-02T10-15-${recordingId}.mp3`,
      contentType: 'audio/mpeg',
    })
    const [message] = announced
    expect(message?.key).toBe(event.call.telephonySessionId)
    expect(message?.headers).toMatchObject({
      ce_id: `recording:${recordingId}`,
      ce_source: '/callbridge/recording-attacher',
      ce_type: 'callbridge.recording.attached',
    })
    expect(RecordingAttached.parse(JSON.parse(message ? text(message) : '{}'))).toEqual({
      telephonySessionId: event.call.telephonySessionId,
      recordingId,
      person: event.person,
      attachmentId: attachments[0]?.id,
      bytes: 200 * KiB,
    })
    const row = await harness.ledger.call(event.call.telephonySessionId)
    expect(row?.recordingAttachmentId).toBe(attachments[0]?.id)
  })

  it('retries while RingCentral answers 404 CMN-102, then attaches the recording once it is available', async () => {
    // Enough attempts that jitter can never use them all up before the recording appears.
    const harness = await start(
      { rc: { recordingDelayMs: 1_500 } },
      { maxAttempts: 100, backoff: { baseMs: 100, maxMs: 200 } },
    )
    const retries = await harness.collect('calls.matched.retry')
    const event = await harness.recordedCall()

    await harness.publishMatched(event)
    await harness.fx.until(
      () => attachmentsOf(harness, event.person.id).length === 1,
      'the attachment',
    )

    expect(retries.length).toBeGreaterThan(0)
    expect(retries[0]?.headers['x-retry-error']).toMatch(/not available yet.*404 CMN-102/)
    expect(attachmentsOf(harness, event.person.id)).toHaveLength(1)
  })

  it('parks a recording larger than the limit in the DLQ, naming its size and the limit, without uploading', async () => {
    const harness = await start({ rc: { recordingBytes: 3 * MiB } }, { maxBytes: 1 * MiB })
    const dlq = await harness.collect('calls.matched.dlq')
    const event = await harness.recordedCall()
    const uploadsBefore = harness.zoho.sim.stats().requests

    await harness.publishMatched(event)
    await harness.fx.until(() => dlq.length === 1, 'the DLQ entry')

    const entry = dlqEntryOf(first(dlq))
    expect(entry).toMatchObject({
      consumer: 'recording-attacher',
      reason: 'permanent',
      attempts: 1,
    })
    expect(entry.error.message).toBe(
      `recording ${event.call.recording?.id} is too large for a CRM attachment: ` +
        '3145728 bytes (3.0 MiB), limit 1048576 bytes (1.0 MiB)',
    )
    expect(harness.zoho.sim.stats().requests).toBe(uploadsBefore)
    expect(attachmentsOf(harness, event.person.id)).toEqual([])
    // The claim was given back: a replay after raising the limit can attach it.
    const claim = await harness.ledger.claim(
      event.call.telephonySessionId,
      'recording_attachment',
      event.call.recording?.id,
    )
    expect(claim.status).toBe('claimed')
  })

  it("parks a recording Zoho refuses as too large in the DLQ with Zoho's limit", async () => {
    const harness = await start({
      rc: { recordingBytes: 1 * MiB },
      zoho: { attachmentMaxBytes: 256 * KiB },
    })
    const dlq = await harness.collect('calls.matched.dlq')
    const event = await harness.recordedCall()

    await harness.publishMatched(event)
    await harness.fx.until(() => dlq.length === 1, 'the DLQ entry')

    const entry = dlqEntryOf(first(dlq))
    expect(entry.reason).toBe('permanent')
    expect(entry.error.message).toContain('1048576 bytes (1.0 MiB), limit 262144 bytes (0.3 MiB)')
    expect(attachmentsOf(harness, event.person.id)).toEqual([])
  })

  it('ignores calls without a recording', async () => {
    const harness = await start()
    const event = await harness.recordedCall()
    await harness.publishMatched({ ...event, call: { ...event.call, recording: null } })
    await harness.fx.until(
      async () =>
        (await harness.fx.metricValue('callbridge_consumer_messages_total', {
          consumer: 'recording-attacher',
          outcome: 'ok',
        })) === 1,
      'the event handled',
    )
    expect(attachmentsOf(harness, event.person.id)).toEqual([])
  })

  it('waits for a fresh unconfirmed claim and takes over a stale one, uploading when the CRM does not have the recording', async () => {
    const harness = await start({}, { staleClaimMs: 600, maxAttempts: 100 })
    const retries = await harness.collect('calls.matched.retry')
    const event = await harness.recordedCall()
    // A worker claimed the recording and died before confirming.
    await harness.ledger.claim(
      event.call.telephonySessionId,
      'recording_attachment',
      event.call.recording?.id,
    )

    await harness.publishMatched(event)
    await harness.fx.until(
      () => attachmentsOf(harness, event.person.id).length === 1,
      'the attachment',
    )

    expect(retries[0]?.headers['x-retry-error']).toMatch(/is not confirmed yet; waiting/)
    const done = await harness.ledger.claim(
      event.call.telephonySessionId,
      'recording_attachment',
      event.call.recording?.id,
    )
    expect(done).toEqual({
      status: 'done',
      externalId: attachmentsOf(harness, event.person.id)[0]?.id,
    })
  })

  it('confirms a stale claim whose recording the CRM already has, announcing it without uploading again', async () => {
    const harness = await start({ rc: { recordingBytes: 64 * KiB } }, { staleClaimMs: 600 })
    const announced = await harness.collect('recordings.attached')
    const event = await harness.recordedCall()
    const session = event.call.telephonySessionId
    await harness.publishMatched(event)
    await harness.fx.until(() => announced.length === 1, 'the first announcement')
    // What a worker killed between Zoho's answer and the ledger update leaves: a stale claim.
    await db.query(
      `UPDATE call_effects SET done_at = NULL, external_id = NULL,
         created_at = now() - interval '1 hour'
       WHERE telephony_session_id = $1 AND effect = 'recording_attachment'`,
      [session],
    )

    await harness.publishMatched(event)
    await harness.fx.until(() => announced.length === 2, 'the second announcement')

    const [attachment, ...others] = attachmentsOf(harness, event.person.id)
    expect(others).toEqual([])
    expect(JSON.parse(text(announced[1] ?? first(announced)))).toMatchObject({
      attachmentId: attachment?.id,
      bytes: 64 * KiB,
    })
    expect(
      await harness.ledger.claim(session, 'recording_attachment', event.call.recording?.id),
    ).toEqual({ status: 'done', externalId: attachment?.id })
  })

  it('confirms an upload Zoho applied although it answered 500, instead of uploading it again', async () => {
    const harness = await openHarness(db)
    h = harness
    // Zoho stores the upload, then the answer is lost to a 500.
    const lying: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      const url = input instanceof Request ? input.url : String(input)
      if (init?.method !== 'POST' || !url.endsWith('/Attachments')) return response
      await response.body?.cancel()
      return Response.json(
        { code: 'INTERNAL_ERROR', details: {}, message: 'Internal error', status: 'error' },
        { status: 500 },
      )
    }
    await harness.fx.start(
      createRecordingAttacher({
        ringcentral: harness.ringcentral,
        crm: createZohoCrm(harness.zoho.client({ fetch: lying })),
        ledger: harness.ledger,
        bus: harness.fx.bus,
        backoff: { baseMs: 50, maxMs: 200 },
      }),
    )
    const announced = await harness.collect('recordings.attached')
    const event = await harness.recordedCall()

    await harness.publishMatched(event)
    await harness.fx.until(() => announced.length === 1, 'the announcement')

    const attachments = attachmentsOf(harness, event.person.id)
    expect(attachments).toHaveLength(1)
    expect(JSON.parse(text(first(announced)))).toMatchObject({
      attachmentId: attachments[0]?.id,
    })
  })

  it('announces on a retry when publishing failed after the attachment was confirmed, without attaching again', async () => {
    const harness = await openHarness(db)
    h = harness
    let failures = 1
    const flaky: Bus = {
      ...harness.fx.bus,
      publish: async (topic, messages) => {
        if (topic === 'recordings.attached' && failures-- > 0) throw new Error('broker unavailable')
        await harness.fx.bus.publish(topic, messages)
      },
    }
    await harness.fx.start(
      createRecordingAttacher({
        ringcentral: harness.ringcentral,
        crm: harness.crm,
        ledger: harness.ledger,
        bus: flaky,
        backoff: { baseMs: 50, maxMs: 200 },
      }),
    )
    const announced = await harness.collect('recordings.attached')
    const event = await harness.recordedCall()

    await harness.publishMatched(event)
    await harness.fx.until(() => announced.length === 1, 'the announcement')

    expect(attachmentsOf(harness, event.person.id)).toHaveLength(1)
    expect(JSON.parse(text(first(announced)))).toMatchObject({
      bytes: 65_536,
      attachmentId: attachmentsOf(harness, event.person.id)[0]?.id,
    })
  })
})
