/**
 * @module consumers/recording-attacher/attacher
 * The recording-attacher consumer: for each `calls.matched` event whose call has a recording, it
 * streams the recording from RingCentral's media host straight into a CRM attachment on the
 * matched person (nothing is buffered: memory stays flat whatever the size), once per recording
 * id, then announces it on `recordings.attached`. An attachment whose claim was never confirmed
 * is first looked for on the person by its file name. See README.md for the ledger protocol.
 */
import {
  CrmError,
  CrmUnavailableError,
  isRetryableCrmError,
} from '../../integrations/crm/errors.ts'
import type { Crm, CrmPerson } from '../../integrations/crm/port.ts'
import type { RingCentralClient } from '../../integrations/ringcentral/index.ts'
import type { Bus } from '../../platform/bus/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import { CallMatched, callTopics, RecordingAttached } from '../../schemas/calls.ts'
import type { Ledger } from '../ledger/ledger.ts'
import type { BackoffOptions, ConsumerDefinition } from '../runtime/index.ts'
import { publishEvent } from '../shared/publish.ts'
import {
  AttachmentCheckError,
  AttachmentInProgressError,
  attachError,
  recordingFetchError,
  tooLargeError,
} from './errors.ts'
import { recordingFilename } from './filename.ts'

/** Ports and limits of {@link createRecordingAttacher}. */
export interface RecordingAttacherOptions {
  readonly ringcentral: Pick<RingCentralClient, 'recordingContent'>
  readonly crm: Pick<Crm, 'attachFile' | 'findAttachment'>
  readonly ledger: Pick<Ledger, 'claim' | 'complete' | 'release' | 'setCrmFacts'>
  /** Where `recordings.attached` is published. */
  readonly bus: Bus
  /**
   * Largest recording sent, in bytes. A recording whose Content-Length is larger is refused before
   * anything is uploaded. Default 100 MiB (Zoho's documented limit).
   */
  readonly maxBytes?: number
  /**
   * An unconfirmed claim younger than this is another delivery still uploading: wait for it. An
   * older one was left by a worker that died: look for the attachment on the person, and upload
   * only when it is not there. Default 12 minutes, above the Zoho client's 10-minute upload
   * timeout.
   */
  readonly staleClaimMs?: number
  /** Default 15: with the default backoff, about 20 minutes for a late recording to appear. */
  readonly maxAttempts?: number
  /** Default 5 s base, 5 min cap. */
  readonly backoff?: BackoffOptions
  readonly keyConcurrency?: number
  readonly now?: () => number
}

/** The defaults of {@link RecordingAttacherOptions}. */
export const recordingAttacherDefaults = {
  maxBytes: 100 * 1024 * 1024,
  staleClaimMs: 12 * 60 * 1000,
  maxAttempts: 15,
  backoff: { baseMs: 5_000, maxMs: 5 * 60 * 1000 },
} as const

/** The CloudEvents `source` and `type` of `recordings.attached`. */
export const recordingAttachedEvent = {
  source: '/callbridge/recording-attacher',
  type: 'callbridge.recording.attached',
} as const

type Recording = NonNullable<CallMatched['call']['recording']>

/** The event's person as the CRM port takes it (absent fields left out, not undefined). */
const crmPerson = ({ module, id, ownerId, name }: CallMatched['person']): CrmPerson => ({
  module,
  id,
  ...(ownerId === undefined ? {} : { ownerId }),
  ...(name === undefined ? {} : { name }),
})

/**
 * Creates the consumer definition. Start it with `startConsumer({ bus, definition, logger, metrics })`.
 *
 * @example
 * ```ts
 * const definition = createRecordingAttacher({ ringcentral: rc, crm, ledger, bus })
 * const running = await startConsumer({ bus, definition, logger, metrics })
 * ```
 */
export const createRecordingAttacher = (
  options: RecordingAttacherOptions,
): ConsumerDefinition<CallMatched> => {
  const { ringcentral, crm, ledger, bus } = options
  const maxBytes = options.maxBytes ?? recordingAttacherDefaults.maxBytes
  const staleClaimMs = options.staleClaimMs ?? recordingAttacherDefaults.staleClaimMs
  const now = options.now ?? Date.now
  if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${maxBytes}`)

  const announce = async (
    event: CallMatched,
    recordingId: string,
    attachmentId: string,
    bytes: number,
  ) => {
    const session = event.call.telephonySessionId
    const value = RecordingAttached.parse({
      telephonySessionId: session,
      recordingId,
      person: event.person,
      attachmentId,
      bytes,
    })
    await publishEvent(bus, {
      topic: callTopics.recordingsAttached.name,
      key: session,
      id: `recording:${recordingId}`,
      ...recordingAttachedEvent,
      value,
    })
  }

  /**
   * The attachment `filename` already on `person`, or null. A lookup the CRM cannot answer for
   * now is an {@link AttachmentCheckError} (retry, claim kept); one it refuses (a permanent CRM
   * error) is logged and treated as not found, so the recording is uploaded as before.
   */
  const existing = async (person: CrmPerson, filename: string, log: Logger) => {
    try {
      return await crm.findAttachment(person, filename)
    } catch (error) {
      if (error instanceof CrmError && !isRetryableCrmError(error)) {
        log.warn({ err: error }, 'cannot look for the attachment; uploading (it may end up twice)')
        return null
      }
      const reason = error instanceof Error ? error.message : String(error)
      throw new AttachmentCheckError(`could not look for attachment ${filename}: ${reason}`, {
        cause: error,
      })
    }
  }

  /**
   * Streams the recording into the attachment; the claim is held by the caller. With `uncertain`
   * (an earlier attempt may have uploaded it) the person's attachments are checked first. After an
   * upload whose outcome is unknown they are checked too, so an applied upload is not repeated.
   */
  const attach = async (
    event: CallMatched,
    recording: Recording,
    uncertain: boolean,
    log: Logger,
  ) => {
    let content: Awaited<ReturnType<typeof ringcentral.recordingContent>>
    try {
      content = await ringcentral.recordingContent(recording.contentUri)
    } catch (error) {
      throw recordingFetchError(recording.id, error)
    }
    const size = content.contentLength
    if (size !== undefined && size > maxBytes) {
      await content.stream.cancel('too large').catch(() => {})
      throw tooLargeError(recording.id, size, maxBytes)
    }
    const person = crmPerson(event.person)
    const contentType = content.contentType || recording.contentType || 'application/octet-stream'
    const filename = recordingFilename(event.call.startTime, recording.id, contentType)
    if (uncertain) {
      const found = await existing(person, filename, log).catch(async (error: unknown) => {
        await content.stream.cancel('check failed').catch(() => {})
        throw error
      })
      if (found) {
        await content.stream.cancel('already attached').catch(() => {})
        log.info({ attachmentId: found.id }, 'the unconfirmed attachment is in the CRM: confirming')
        return { attachmentId: found.id, bytes: found.size ?? size ?? 0 }
      }
      log.info('the unconfirmed attachment is not in the CRM: uploading')
    }
    let bytes = 0
    // Counts on the way through; a TransformStream holds at most a chunk, so memory stays flat.
    const body = content.stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, controller) => {
          bytes += chunk.byteLength
          controller.enqueue(chunk)
        },
      }),
    )
    try {
      const { id } = await crm.attachFile(person, {
        filename,
        contentType,
        ...(size === undefined ? {} : { size }),
        body,
      })
      return { attachmentId: id, bytes }
    } catch (error) {
      // Locked while the upload reads it (then the upload cancelled it already): ignore.
      await body.cancel('upload failed').catch(() => {})
      if (error instanceof CrmUnavailableError && error.outcomeUnknown) {
        const landed = await crm.findAttachment(person, filename).catch(() => null)
        if (landed) {
          log.info({ attachmentId: landed.id }, 'upload outcome unknown, but it landed: confirming')
          return { attachmentId: landed.id, bytes }
        }
      }
      throw attachError(recording.id, size, error)
    }
  }

  /**
   * A retry found the attachment done: the earlier attempt may have failed to publish after
   * confirming. Announce again (same `ce_id`, so consumers drop a copy); the byte count is the
   * media host's Content-Length, read without downloading the body.
   */
  const reannounce = async (
    event: CallMatched,
    recording: Recording,
    attachmentId: string,
    logger: Logger,
  ) => {
    let size: number | undefined
    try {
      const content = await ringcentral.recordingContent(recording.contentUri)
      await content.stream.cancel('size only').catch(() => {})
      size = content.contentLength
    } catch (error) {
      logger.warn({ err: error }, 'recording size unavailable; not announced again')
      return
    }
    if (size === undefined) {
      logger.warn('recording size unknown; not announced again')
      return
    }
    await announce(event, recording.id, attachmentId, size)
  }

  return {
    name: 'recording-attacher',
    topic: callTopics.callsMatched.name,
    schema: CallMatched,
    maxAttempts: options.maxAttempts ?? recordingAttacherDefaults.maxAttempts,
    backoff: options.backoff ?? recordingAttacherDefaults.backoff,
    ...(options.keyConcurrency === undefined ? {} : { keyConcurrency: options.keyConcurrency }),
    handle: async (event, { attempt, logger }) => {
      const recording = event.call.recording
      if (!recording) return
      const session = event.call.telephonySessionId
      const log = logger.child({ recordingId: recording.id })
      const claim = await ledger.claim(session, 'recording_attachment', recording.id)
      if (claim.status === 'done') {
        if (attempt > 1 && claim.externalId) {
          await reannounce(event, recording, claim.externalId, log)
        }
        log.debug({ attachmentId: claim.externalId }, 'recording already attached')
        return
      }
      const uncertain = claim.status === 'pending'
      if (claim.status === 'pending') {
        const ageMs = now() - claim.claimedAt.getTime()
        if (ageMs < staleClaimMs) {
          throw new AttachmentInProgressError(
            `recording ${recording.id} was claimed ${Math.round(ageMs / 1000)} s ago and is not confirmed yet; waiting`,
          )
        }
        log.warn(
          { claimedAgoMs: ageMs },
          'unconfirmed attachment claim from a worker that stopped; looking for the attachment in the CRM',
        )
      }
      let attached: { attachmentId: string; bytes: number }
      try {
        attached = await attach(event, recording, uncertain, log)
      } catch (error) {
        // Not checked yet: keep the claim pending, so the retry looks again before uploading.
        if (error instanceof AttachmentCheckError) throw error
        if (error instanceof CrmUnavailableError && error.outcomeUnknown) {
          log.warn(
            { err: error },
            'upload outcome unknown and the attachment is not listed; the retry may attach the recording twice',
          )
        }
        await ledger.release(session, 'recording_attachment', recording.id)
        throw error
      }
      await ledger.complete(session, 'recording_attachment', recording.id, attached.attachmentId)
      await ledger.setCrmFacts(session, { attachmentId: attached.attachmentId })
      await announce(event, recording.id, attached.attachmentId, attached.bytes)
      log.info(
        { attachmentId: attached.attachmentId, bytes: attached.bytes, person: event.person.id },
        'recording attached',
      )
    },
  }
}
