/**
 * @module simulators/ringcentral/calls
 * Places a call: builds its timeline, stores the call, its call-log records (visible
 * `callLogDelayMs` after the call ends) and its recording (`recordingDelayMs` later still), and
 * queues its notifications to every Active subscription with a matching filter. Payloads come from
 * the shared builders in `schemas/fixtures/ringcentral.ts`, so the gateway accepts them.
 */
import {
  genericNotification,
  telephonySessionNotification,
  voicemailNotification,
} from '../../schemas/fixtures/ringcentral.ts'
import { buildTimeline, type Timeline, type TimelineEvent } from './call-timeline.ts'
import type { Deliverer, EnvelopeFields, OutgoingNotification } from './deliveries.ts'
import { matchMessage, matchTelephony, type ParsedFilter, usableFilters } from './filters.ts'
import { findExtension, iso, type SimCore } from './state.ts'
import { liveSubscriptions } from './subscriptions.ts'
import type { CallSpec, SimCall, SimExtension } from './types.ts'

interface VoicemailFacts {
  readonly messageId: string
  readonly extension: SimExtension
  readonly durationS: number
  readonly atMs: number
}

const extensionOrThrow = (core: SimCore, id: string, what: string): SimExtension => {
  const extension = findExtension(core, id)
  if (!extension) throw new Error(`${what}: no extension ${id} in account ${core.config.accountId}`)
  return extension
}

interface CallIds {
  readonly telephonySessionId: string
  readonly sessionId: string
}

/** The telephony-session notification of `event` (envelope fields as given, else fixture defaults). */
const notification = (
  core: SimCore,
  call: CallIds,
  event: TimelineEvent,
  envelope: Partial<EnvelopeFields> = {},
) =>
  telephonySessionNotification({
    ...envelope,
    sequence: event.sequence,
    telephonySessionId: call.telephonySessionId,
    sessionId: call.sessionId,
    eventTime: iso(event.atMs),
    accountId: core.config.accountId,
    parties: [event.party],
  })

const telephonyItem = (
  core: SimCore,
  call: CallIds,
  event: TimelineEvent,
  path: string,
): OutgoingNotification => ({
  kind: 'telephony-session',
  event: path,
  telephonySessionId: call.telephonySessionId,
  sequence: event.sequence,
  build: (envelope) => notification(core, call, event, envelope),
})

const voicemailItems = (
  core: SimCore,
  spec: CallSpec,
  vm: VoicemailFacts,
  filters: readonly ParsedFilter[],
): OutgoingNotification[] => {
  const { accountId } = core.config
  const { extension, messageId } = vm
  const items: OutgoingNotification[] = []
  const voicemailPath = filters.map((f) => matchMessage(f, 'voicemail', extension.id)).find(Boolean)
  if (voicemailPath) {
    const attachmentId = Number(messageId.slice(0, 9)) + 1
    items.push({
      kind: 'voicemail',
      event: voicemailPath,
      build: (envelope) =>
        voicemailNotification({
          ...envelope,
          accountId,
          extensionId: extension.id,
          messageId,
          from: {
            phoneNumber: spec.from,
            ...(spec.callerName === undefined ? {} : { name: spec.callerName }),
          },
          to: [{ name: extension.name, extensionNumber: extension.extensionNumber }],
          subject: `Voice Message from ${spec.callerName ?? spec.from}`,
          attachments: [
            {
              id: attachmentId,
              uri: `${core.urls.platform}/restapi/v1.0/account/${accountId}/extension/${extension.id}/message-store/${messageId}/content/${attachmentId}`,
              type: 'AudioRecording',
              contentType: 'audio/mpeg',
              vmDuration: vm.durationS,
            },
          ],
          creationTime: iso(vm.atMs),
          transcriptionStatus: 'InProgress',
        }),
    })
  }
  const storePath = filters.map((f) => matchMessage(f, 'message-store', extension.id)).find(Boolean)
  if (storePath) {
    items.push({
      kind: 'message-store',
      event: storePath,
      build: (envelope) =>
        genericNotification({
          ...envelope,
          body: {
            accountId,
            extensionId: extension.id,
            lastUpdated: iso(vm.atMs),
            changes: [{ type: 'VoiceMail', newCount: 1, updatedCount: 0 }],
          },
        }),
    })
  }
  return items
}

const storeCallLog = (core: SimCore, timeline: Timeline, call: SimCall) => {
  const recordIds: string[] = []
  for (const leg of timeline.legs) {
    const id = core.ids.callRecordId()
    recordIds.push(id)
    core.callLog.push({
      id,
      telephonySessionId: call.telephonySessionId,
      sessionId: call.sessionId,
      partyId: leg.partyId,
      extensionId: leg.extension.id,
      startMs: leg.startMs,
      durationMs: leg.endMs - leg.startMs,
      direction: leg.direction,
      action: leg.action,
      result: leg.result,
      reason: leg.reason,
      legType: leg.legType,
      from: leg.from,
      to: leg.to,
      availableAt: Date.parse(call.callLogAvailableAt),
      recording:
        leg.recorded && call.recordingId !== undefined && call.recordingAvailableAt !== undefined
          ? { id: call.recordingId, availableAt: Date.parse(call.recordingAvailableAt) }
          : undefined,
      messageId: leg.voicemail ? call.voicemailMessageId : undefined,
    })
  }
  return recordIds
}

/** Creates `placeCall` over the core and the delivery engine. */
export const createCallPlacer =
  (core: SimCore, deliverer: Deliverer) =>
  async (spec: CallSpec): Promise<SimCall> => {
    const { config, ids } = core
    const extension = extensionOrThrow(core, spec.extensionId ?? config.ownerId, 'extensionId')
    const transferTarget =
      spec.transferTo === undefined
        ? undefined
        : extensionOrThrow(core, spec.transferTo, 'transferTo')
    const telephonySessionId = ids.telephonySessionId()
    const sessionId = ids.sessionId()
    const recordingId = spec.recording ? ids.recordingId() : undefined
    const now = core.now()
    const timeline = buildTimeline({
      spec,
      accountId: config.accountId,
      extension,
      transferTarget,
      telephonySessionId,
      recordingId,
      endAt: now,
    })
    const callLogAt = now + config.callLogDelayMs
    const recordingAt =
      timeline.recordingDurationS === undefined ? undefined : callLogAt + config.recordingDelayMs
    const voicemailLeg = timeline.legs.find((leg) => leg.voicemail)
    const voicemail: VoicemailFacts | undefined = voicemailLeg && {
      messageId: ids.messageId(),
      extension: voicemailLeg.extension,
      durationS: timeline.voicemailDurationS ?? 0,
      atMs: voicemailLeg.endMs,
    }
    const call: SimCall = {
      telephonySessionId,
      sessionId,
      spec: structuredClone(spec),
      extensionId: extension.id,
      startTime: iso(timeline.startMs),
      endTime: iso(timeline.endMs),
      events: timeline.events.map(
        (e) => notification(core, { telephonySessionId, sessionId }, e).body,
      ),
      callLogRecordIds: [],
      ...(recordingId === undefined || recordingAt === undefined
        ? {}
        : { recordingId, recordingAvailableAt: iso(recordingAt) }),
      ...(voicemail === undefined ? {} : { voicemailMessageId: voicemail.messageId }),
      callLogAvailableAt: iso(callLogAt),
    }
    const stored: SimCall = { ...call, callLogRecordIds: storeCallLog(core, timeline, call) }
    if (recordingId !== undefined && recordingAt !== undefined) {
      core.recordings.set(recordingId, {
        id: recordingId,
        telephonySessionId,
        durationS: timeline.recordingDurationS ?? 0,
        availableAt: recordingAt,
      })
    }
    core.calls.push(stored)
    core.counters.callsPlaced++

    for (const sub of liveSubscriptions(core)) {
      if (sub.status !== 'Active') continue
      const filters = usableFilters(core, sub)
      const items: OutgoingNotification[] = []
      for (const event of timeline.events) {
        const facts = { party: event.party, transferLeg: event.transferLeg }
        const path = filters.map((f) => matchTelephony(f, facts)).find(Boolean)
        if (path) items.push(telephonyItem(core, { telephonySessionId, sessionId }, event, path))
      }
      if (voicemail) items.push(...voicemailItems(core, spec, voicemail, filters))
      if (items.length > 0) deliverer.enqueue(sub, items, spec.faults)
    }
    return stored
  }
