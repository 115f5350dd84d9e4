/**
 * @module simulators/ringcentral/call-timeline
 * A call as a pure function of its spec: the telephony-session events of every party (remote
 * party, the answering/placing extension, the transfer target) with their times, and the call's
 * legs for the call log. The call is stamped to end at `endAt`; times before it are realistic
 * (ringing, talk), and the whole timeline is emitted at once.
 *
 * Shapes: Setup → Proceeding → Answered → Disconnected per party; a blind transfer disconnects the
 * first extension with reason `BlindTransfer` and rings the target; voicemail passes through
 * status `VoiceMail`; missed and voicemail parties carry `missedCall: true`. The definitive end is
 * the extension's Disconnected without a reason.
 */
import type { CallParty, CallPartyEndpoint } from '../../schemas/ringcentral/telephony-session.ts'
import type { CallSpec, SimExtension } from './types.ts'

/** Inputs besides the spec. */
export interface TimelineInput {
  readonly spec: CallSpec
  readonly accountId: string
  readonly extension: SimExtension
  readonly transferTarget: SimExtension | undefined
  readonly telephonySessionId: string
  readonly recordingId: string | undefined
  readonly endAt: number
}

/** One event: the party whose state changed. */
export interface TimelineEvent {
  readonly sequence: number
  readonly atMs: number
  readonly party: CallParty
  /** The party joined through a transfer. */
  readonly transferLeg: boolean
}

/** One extension's part of the call, for its call-log record. */
export interface TimelineLeg {
  readonly extension: SimExtension
  readonly partyId: string
  readonly startMs: number
  readonly endMs: number
  readonly direction: 'Inbound' | 'Outbound'
  readonly action: string
  readonly result: string
  readonly reason: string | undefined
  readonly legType: string
  readonly from: CallPartyEndpoint & { extensionNumber?: string }
  readonly to: CallPartyEndpoint & { extensionNumber?: string }
  readonly recorded: boolean
  readonly voicemail: boolean
}

/** The whole call. */
export interface Timeline {
  readonly startMs: number
  readonly endMs: number
  readonly events: readonly TimelineEvent[]
  readonly legs: readonly TimelineLeg[]
  /** Talk time of the recorded leg, seconds. */
  readonly recordingDurationS: number | undefined
  /** Length of the voicemail message, seconds (inbound voicemail only). */
  readonly voicemailDurationS: number | undefined
}

type Role = 'remote' | 'first' | 'target'
interface Step {
  readonly at: number
  readonly role: Role
  readonly code: string
  readonly reason?: string
  readonly recording?: boolean
}

const RING_S = 6
const TALK_BEFORE_TRANSFER_S = 12
const TARGET_RING_S = 4

/** Builds the timeline of `input.spec`. */
export const buildTimeline = (input: TimelineInput): Timeline => {
  const { spec, extension: first, accountId } = input
  const inbound = spec.direction === 'Inbound'
  const target = spec.result === 'answered' ? input.transferTarget : undefined
  // Only talked calls are recorded: answered ones, or outbound ones a remote voicemail picked up.
  const talked = spec.result === 'answered' || (!inbound && spec.result === 'voicemail')
  const recorded = talked && spec.recording === true
  const talk =
    spec.durationS ?? (spec.result === 'answered' ? 95 : spec.result === 'missed' ? 20 : 25)
  const steps: Step[] = [
    { at: 0, role: inbound ? 'remote' : 'first', code: 'Setup' },
    { at: 0, role: inbound ? 'first' : 'remote', code: 'Setup' },
    { at: 1, role: 'first', code: 'Proceeding' },
  ]
  let end: number
  let firstEnd: number
  if (spec.result === 'missed') {
    end = firstEnd = Math.max(2, talk)
  } else if (spec.result === 'voicemail' && inbound) {
    steps.push({ at: 20, role: 'first', code: 'VoiceMail' })
    end = firstEnd = 20 + talk
  } else {
    steps.push({ at: RING_S, role: 'remote', code: 'Answered' })
    steps.push({ at: RING_S, role: 'first', code: 'Answered', recording: recorded && !target })
    if (target) {
      firstEnd = RING_S + TALK_BEFORE_TRANSFER_S
      const answer = firstEnd + TARGET_RING_S
      end = answer + talk
      steps.push({ at: firstEnd, role: 'first', code: 'Disconnected', reason: 'BlindTransfer' })
      steps.push({ at: firstEnd, role: 'target', code: 'Setup' })
      steps.push({ at: firstEnd + 1, role: 'target', code: 'Proceeding' })
      steps.push({ at: answer, role: 'target', code: 'Answered', recording: recorded })
      steps.push({ at: end, role: 'target', code: 'Disconnected' })
    } else {
      end = firstEnd = RING_S + talk
    }
  }
  if (!target) steps.push({ at: end, role: 'first', code: 'Disconnected' })
  steps.push({ at: end, role: 'remote', code: 'Disconnected' })

  const startMs = input.endAt - end * 1000
  const hex = input.telephonySessionId.replace(/^s-/, '')
  const caller: CallPartyEndpoint = {
    phoneNumber: spec.from,
    ...(spec.callerName === undefined ? {} : { name: spec.callerName }),
  }
  const self = (ext: SimExtension, phoneNumber: string) => ({
    phoneNumber,
    name: ext.name,
    extensionId: ext.id,
  })
  const endpoints: Record<Role, { from: CallPartyEndpoint; to: CallPartyEndpoint }> = inbound
    ? {
        remote: { from: caller, to: { phoneNumber: spec.to } },
        first: { from: caller, to: self(first, spec.to) },
        target: { from: caller, to: self(target ?? first, spec.to) },
      }
    : {
        remote: { from: { phoneNumber: spec.from }, to: { phoneNumber: spec.to } },
        first: { from: self(first, spec.from), to: { phoneNumber: spec.to } },
        target: { from: { phoneNumber: spec.to }, to: self(target ?? first, spec.from) },
      }
  const partyIds: Record<Role, string> = {
    remote: `p-${hex}-1`,
    first: `p-${hex}-2`,
    target: `p-${hex}-3`,
  }
  const missed = spec.result !== 'answered' && inbound
  const events = steps.map((step, i): TimelineEvent => {
    const ext = step.role === 'first' ? first : step.role === 'target' ? target : undefined
    const party: CallParty = {
      id: partyIds[step.role],
      accountId,
      ...(ext === undefined ? {} : { extensionId: ext.id }),
      direction: step.role === 'target' ? 'Inbound' : spec.direction,
      from: endpoints[step.role].from,
      to: endpoints[step.role].to,
      status: {
        code: step.code,
        ...(step.reason === undefined ? {} : { reason: step.reason }),
        rcc: false,
      },
      ...(step.recording && input.recordingId !== undefined
        ? { recordings: [{ id: input.recordingId, active: true }] }
        : {}),
      missedCall:
        step.role === 'first' && missed && step.code !== 'Setup' && step.code !== 'Proceeding',
      standAlone: false,
      muted: false,
    }
    return {
      sequence: i + 1,
      atMs: startMs + step.at * 1000,
      party,
      transferLeg: step.role === 'target',
    }
  })

  const withNumber = (e: CallPartyEndpoint, ext: SimExtension | undefined) =>
    ext !== undefined && e.extensionId === ext.id
      ? { ...e, extensionNumber: ext.extensionNumber }
      : e
  const firstResult = inbound
    ? { answered: 'Accepted', missed: 'Missed', voicemail: 'Voicemail' }[spec.result]
    : spec.result === 'missed'
      ? 'No Answer'
      : 'Call connected'
  const legs: TimelineLeg[] = [
    {
      extension: first,
      partyId: partyIds.first,
      startMs,
      endMs: startMs + firstEnd * 1000,
      direction: spec.direction,
      action: inbound ? 'Phone Call' : 'VoIP Call',
      result: firstResult,
      reason: firstResult === 'Accepted' ? 'Accepted' : undefined,
      legType: inbound ? 'Accept' : 'SipToPstnMetered',
      from: withNumber(endpoints.first.from, first),
      to: withNumber(endpoints.first.to, first),
      recorded: recorded && !target,
      voicemail: spec.result === 'voicemail' && inbound,
    },
  ]
  if (target) {
    legs.push({
      extension: target,
      partyId: partyIds.target,
      startMs: startMs + firstEnd * 1000,
      endMs: startMs + end * 1000,
      direction: 'Inbound',
      action: 'Transfer',
      result: 'Accepted',
      reason: 'Accepted',
      legType: 'TransferCall',
      from: endpoints.target.from,
      to: withNumber(endpoints.target.to, target),
      recorded,
      voicemail: false,
    })
  }
  return {
    startMs,
    endMs: startMs + end * 1000,
    events,
    legs,
    recordingDurationS: recorded ? talk : undefined,
    voicemailDurationS: spec.result === 'voicemail' && inbound ? talk : undefined,
  }
}
