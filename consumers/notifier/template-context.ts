/**
 * @module consumers/notifier/template-context
 * The fields a template may use: a fixed, documented list (README.md), each a plain string built
 * from the event. Templates can reach nothing else: no objects, no prototypes, no expressions.
 */
import type { CallMatched } from '../../schemas/calls.ts'
import type { NotificationType } from './events.ts'
import type { OwnerContact } from './owner-directory.ts'

/** Every placeholder a template may contain, as `{{name}}`. */
export const placeholders = [
  'event.type',
  'event.title',
  'call.telephonySessionId',
  'call.direction',
  'call.result',
  'call.startTime',
  'call.startedAt',
  'call.durationS',
  'call.duration',
  'call.external.phoneNumber',
  'call.external.name',
  'call.external.display',
  'call.internal.phoneNumber',
  'call.internal.name',
  'call.extensionId',
  'call.voicemail',
  'call.recordingId',
  'person.module',
  'person.kind',
  'person.id',
  'person.name',
  'person.display',
  'person.ownerId',
  'person.createdLead',
  'owner.name',
  'owner.email',
  'owner.display',
  'crm.callId',
  'crm.noteId',
] as const
export type Placeholder = (typeof placeholders)[number]

/** The values of every placeholder for one notification ('' where the event has none). */
export type TemplateContext = Readonly<Record<Placeholder, string>>

const titles: Readonly<Record<NotificationType, string>> = {
  missed: 'Missed call',
  voicemail: 'New voicemail',
  'new-lead': 'New lead',
}

const minutesSeconds = (seconds: number): string =>
  `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`

/** `2026-03-02 10:15 UTC` in `timeZone`. */
const formatTime = (iso: string, timeZone: string): string => {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(iso))
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`
}

/** Throws a RangeError naming `timeZone` when Intl does not know it. */
export const checkTimeZone = (timeZone: string): string => {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
  } catch {
    throw new RangeError(`unknown time zone '${timeZone}' (use an IANA name like Europe/Berlin)`)
  }
  return timeZone
}

/**
 * The context of one notification.
 *
 * @example
 * ```ts
 * templateContext(event, 'missed', { id: '42', contact: { name: 'Ana' } }, 'UTC')['owner.name'] // 'Ana'
 * ```
 */
export const templateContext = (
  event: CallMatched,
  type: NotificationType,
  owner: { readonly id?: string | undefined; readonly contact?: OwnerContact | undefined },
  timeZone: string,
): TemplateContext => {
  const { call, person } = event
  const kind = person.module === 'Leads' ? 'lead' : 'contact'
  const externalPhone = call.external.phoneNumber ?? ''
  return {
    'event.type': type,
    'event.title': titles[type],
    'call.telephonySessionId': call.telephonySessionId,
    'call.direction': call.direction,
    'call.result': call.result,
    'call.startTime': call.startTime,
    'call.startedAt': formatTime(call.startTime, timeZone),
    'call.durationS': String(call.durationS),
    'call.duration': minutesSeconds(call.durationS),
    'call.external.phoneNumber': externalPhone,
    'call.external.name': call.external.name ?? '',
    'call.external.display': call.external.name || externalPhone || 'Unknown caller',
    'call.internal.phoneNumber': call.internal.phoneNumber ?? '',
    'call.internal.name': call.internal.name ?? '',
    'call.extensionId': call.extensionId ?? '',
    'call.voicemail': call.voicemail ? 'yes' : 'no',
    'call.recordingId': call.recording?.id ?? '',
    'person.module': person.module,
    'person.kind': kind,
    'person.id': person.id,
    'person.name': person.name ?? '',
    'person.display': person.name || `${kind} ${person.id}`,
    'person.ownerId': person.ownerId ?? '',
    'person.createdLead': event.createdLead ? 'yes' : 'no',
    'owner.name': owner.contact?.name ?? '',
    'owner.email': owner.contact?.email ?? '',
    'owner.display': owner.contact?.name || owner.contact?.email || owner.id || 'unassigned',
    'crm.callId': event.crmCallId,
    'crm.noteId': event.crmNoteId ?? '',
  }
}
