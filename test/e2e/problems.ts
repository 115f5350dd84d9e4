/**
 * @module test/e2e/problems
 * What the simulators, the notification receivers and the ledger must hold once the pipeline has
 * done its work on the placed calls, as a list of problems (empty when everything is exact):
 * every call in Zoho exactly once, one lead per new number, one attachment per recording, one
 * notification per missed call or voicemail (and per new lead), nothing parked, nothing left
 * unfinished.
 */
import type { CallSpec } from '../../simulators/ringcentral/index.ts'
import type { ZohoRecordView } from '../../simulators/zoho/index.ts'
import { defaultOwner, extensionOwners, fallbackEmail, ownerEmails } from './fixtures.ts'
import type { Harness } from './harness.ts'
import { firstExtension, type PlacedCall } from './scenario.ts'

/** The outside party's number. */
export const externalOf = (spec: CallSpec): string =>
  spec.direction === 'Inbound' ? spec.from : spec.to

/** The extension that ends up with the call (the transfer target, else the answering one). */
const extensionOf = (spec: CallSpec): string =>
  spec.transferTo ?? spec.extensionId ?? firstExtension

const callTypeOf = (spec: CallSpec): string =>
  spec.direction === 'Outbound' ? 'Outbound' : spec.result === 'answered' ? 'Inbound' : 'Missed'

const notificationOf = (spec: CallSpec): 'missed' | 'voicemail' | undefined =>
  spec.direction === 'Inbound' && spec.result !== 'answered' ? spec.result : undefined

const digits = (value: unknown) => String(value ?? '').replace(/\D/g, '')

const sessionLine = (id: string) => `RingCentral telephony session: ${id}`

const lookupId = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'id' in value ? String(value.id) : undefined

/** The person a Zoho Calls record is linked to. */
const personOfCall = (record: ZohoRecordView): { module: string; id: string } | undefined => {
  const who = lookupId(record['Who_Id'])
  if (who) return { module: 'Contacts', id: who }
  const what = lookupId(record['What_Id'])
  return what ? { module: String(record['$se_module']), id: what } : undefined
}

const count = <T>(items: readonly T[], test: (item: T) => boolean) => items.filter(test).length

/** The facts every check works from. */
interface Expected {
  readonly harness: Harness
  readonly calls: readonly PlacedCall[]
  /** New numbers, each with its first call. */
  readonly newNumbers: ReadonlyMap<string, PlacedCall>
  /** The lead created for each new number (when exactly one was). */
  readonly leadFor: Map<string, ZohoRecordView>
  readonly problems: string[]
}

/** One lead per new number, owned as routed; one Calls record per call on the right person. */
const crmProblems = (
  { harness, calls, newNumbers, leadFor, problems }: Expected,
  { seededLeads, seededContacts }: { seededLeads: number; seededContacts: number },
): void => {
  const zoho = harness.zoho.sim.state
  const leads = zoho.records('Leads')
  const zohoCalls = zoho.records('Calls')

  // One lead per new number, owned as routed by the extension that took its first call.
  for (const [e164, first] of newNumbers) {
    const matching = leads.filter((lead) => digits(lead['Phone']) === digits(e164))
    if (matching.length !== 1) {
      problems.push(`${matching.length} leads for new number ${e164} (${first.label}), want 1`)
      continue
    }
    const [lead] = matching
    if (!lead) continue
    leadFor.set(e164, lead)
    const owner = lookupId(lead['Owner'])
    const want = extensionOwners[extensionOf(first.spec)] ?? defaultOwner
    if (owner !== want) problems.push(`lead for ${e164} owned by ${owner}, want ${want}`)
  }
  if (leads.length !== seededLeads + newNumbers.size) {
    problems.push(`${leads.length} leads in Zoho, want ${seededLeads} seeded + ${newNumbers.size}`)
  }
  const contacts = zoho.records('Contacts').length
  if (contacts !== seededContacts) problems.push(`${contacts} contacts, want ${seededContacts}`)

  // One Calls record per call, linked to the right person, of the right type.
  for (const call of calls) {
    const id = call.sim.telephonySessionId
    const records = zohoCalls.filter((r) =>
      String(r['Description'] ?? '')
        .split('\n')
        .includes(sessionLine(id)),
    )
    if (records.length !== 1) {
      problems.push(`${records.length} Zoho Calls records for "${call.label}" (${id}), want 1`)
      continue
    }
    const [record] = records
    if (!record) continue
    const person = personOfCall(record)
    const e164 = externalOf(call.spec)
    const wantId = call.known?.id ?? lookupId(leadFor.get(e164))
    if (wantId !== undefined && person?.id !== wantId) {
      problems.push(`"${call.label}" logged on ${JSON.stringify(person)}, want ${wantId}`)
    }
    if (record['Call_Type'] !== callTypeOf(call.spec)) {
      problems.push(
        `"${call.label}" logged as ${String(record['Call_Type'])}, want ${callTypeOf(call.spec)}`,
      )
    }
  }
  if (zohoCalls.length !== calls.length) {
    problems.push(`${zohoCalls.length} Zoho Calls records in all, want ${calls.length}`)
  }
}

/** Calls whose webhooks were all dropped can only have come from the reconciler. */
const sourceProblems = ({ harness, calls, problems }: Expected): void => {
  const completed = harness.events.filter((e) => e.topic === 'calls.completed')
  for (const call of calls) {
    const id = call.sim.telephonySessionId
    const sources = completed
      .filter((e) => e.key === id)
      .map((e) => String((e.value as { source?: unknown }).source))
    if (sources.length === 0) problems.push(`no calls.completed seen for "${call.label}"`)
    if (call.spec.faults?.drop === 1 && sources.some((s) => s !== 'reconciler')) {
      problems.push(`"${call.label}" had no webhooks but was completed by ${sources.join(', ')}`)
    }
  }
}

/** One attachment per recording, on the matched person. */
const attachmentProblems = ({ harness, calls, leadFor, problems }: Expected): void => {
  const zoho = harness.zoho.sim.state
  const attachments = zoho.attachments()
  const recorded = calls.filter((c) => c.sim.recordingId !== undefined)
  for (const call of recorded) {
    const recordingId = call.sim.recordingId ?? ''
    const found = attachments.filter((a) => (a.fileName ?? '').includes(`-${recordingId}.`))
    if (found.length !== 1) {
      problems.push(
        `${found.length} attachments of recording ${recordingId} ("${call.label}"), want 1`,
      )
      continue
    }
    const e164 = externalOf(call.spec)
    const wantId = call.known?.id ?? lookupId(leadFor.get(e164))
    if (wantId !== undefined && found[0]?.recordId !== wantId) {
      problems.push(
        `recording of "${call.label}" attached to ${found[0]?.recordId}, want ${wantId}`,
      )
    }
    if ((found[0]?.size ?? 0) <= 0) problems.push(`empty attachment for "${call.label}"`)
  }
  if (attachments.length !== recorded.length) {
    problems.push(`${attachments.length} attachments in all, want ${recorded.length}`)
  }
}

/** One e-mail and chat message per missed call or voicemail, to the owner; one chat per new lead. */
const notificationProblems = ({
  harness,
  calls,
  newNumbers,
  leadFor,
  problems,
}: Expected): void => {
  const marker = { missed: '*Missed call*', voicemail: '*New voicemail*' } as const
  const subject = { missed: 'Missed call from', voicemail: 'New voicemail from' } as const
  let wantEmails = 0
  let wantChats = 0
  for (const call of calls) {
    const type = notificationOf(call.spec)
    if (!type) continue
    wantEmails += 1
    wantChats += 1
    const e164 = externalOf(call.spec)
    const chats = count(harness.chat, (p) => p.text.includes(marker[type]) && p.text.includes(e164))
    if (chats !== 1) problems.push(`${chats} ${type} chat messages for "${call.label}", want 1`)
    const mails = harness.mail.filter(
      (m) => m.subject.startsWith(subject[type]) && m.text.includes(e164),
    )
    if (mails.length !== 1) {
      problems.push(`${mails.length} ${type} e-mails for "${call.label}", want 1`)
      continue
    }
    const owner =
      call.known?.ownerId ??
      lookupId(leadFor.get(e164)?.['Owner']) ??
      extensionOwners[extensionOf(call.spec)] ??
      defaultOwner
    const to = ownerEmails[owner] ?? fallbackEmail
    if (!mails[0]?.to.includes(to)) {
      problems.push(
        `${type} e-mail for "${call.label}" went to ${mails[0]?.to.join(', ')}, want ${to}`,
      )
    }
  }
  for (const e164 of newNumbers.keys()) {
    wantChats += 1
    const chats = count(harness.chat, (p) => p.text.includes('*New lead*') && p.text.includes(e164))
    if (chats !== 1) problems.push(`${chats} new-lead chat messages for ${e164}, want 1`)
  }
  if (harness.mail.length !== wantEmails) {
    problems.push(`${harness.mail.length} e-mails in all, want ${wantEmails}`)
  }
  if (harness.chat.length !== wantChats) {
    problems.push(`${harness.chat.length} chat messages in all, want ${wantChats}`)
  }
}

/** Every call has its ledger row with its CRM call; no effect was left unconfirmed. */
const ledgerProblems = async ({ harness, calls, problems }: Expected): Promise<void> => {
  const { rows } = await harness.db.query<{
    telephony_session_id: string
    crm_call_id: string | null
  }>('SELECT telephony_session_id, crm_call_id FROM calls')
  const rowOf = new Map(rows.map((r) => [r.telephony_session_id, r]))
  for (const call of calls) {
    if (!rowOf.get(call.sim.telephonySessionId)?.crm_call_id) {
      problems.push(`ledger: no CRM call recorded for "${call.label}"`)
    }
  }
  if (rows.length !== calls.length)
    problems.push(`ledger: ${rows.length} calls, want ${calls.length}`)
  const pending = await harness.db.query<{
    telephony_session_id: string
    effect: string
    effect_key: string
  }>('SELECT telephony_session_id, effect, effect_key FROM call_effects WHERE done_at IS NULL')
  for (const row of pending.rows) {
    problems.push(
      `ledger: effect ${row.effect}/${row.effect_key} of ${row.telephony_session_id} never confirmed`,
    )
  }
}

/**
 * Everything that is not (yet) as it must be; empty when the pipeline's work is complete and
 * exact.
 */
export const pipelineProblems = async (
  harness: Harness,
  calls: readonly PlacedCall[],
  seeded: { seededLeads: number; seededContacts: number },
): Promise<string[]> => {
  const problems: string[] = []
  // New numbers, each with the call that must have created its lead.
  const newNumbers = new Map<string, PlacedCall>()
  for (const call of calls) {
    const e164 = externalOf(call.spec)
    if (!call.known && !newNumbers.has(e164)) newNumbers.set(e164, call)
  }
  const expected: Expected = { harness, calls, newNumbers, leadFor: new Map(), problems }
  crmProblems(expected, seeded)
  sourceProblems(expected)
  attachmentProblems(expected)
  notificationProblems(expected)
  await ledgerProblems(expected)
  for (const [topic, parked] of Object.entries(await harness.parked())) {
    if (parked > 0) problems.push(`${parked} message(s) parked on ${topic}`)
    if (parked < 0) problems.push(`could not read ${topic}`)
  }
  return problems
}

/** Sanity checks of the scenario itself: the faults were really applied by the simulator. */
export const faultsApplied = (harness: Harness, calls: readonly PlacedCall[]): string[] => {
  const problems: string[] = []
  const deliveries = harness.rc.sim.state.deliveries
  for (const call of calls) {
    const mine = deliveries.filter((d) => d.telephonySessionId === call.sim.telephonySessionId)
    if (call.spec.faults?.drop === 1 && mine.some((d) => d.outcome !== 'dropped')) {
      problems.push(`"${call.label}": a webhook was delivered although all should be dropped`)
    }
    if (call.spec.faults?.drop !== 1 && mine.some((d) => d.outcome !== 'delivered')) {
      problems.push(`"${call.label}": a webhook was not delivered (${mine.map((d) => d.outcome)})`)
    }
  }
  if (!deliveries.some((d) => d.duplicate && d.outcome === 'delivered')) {
    problems.push('no duplicated webhook was delivered')
  }
  return problems
}
