/**
 * @module test/e2e/scenario
 * The calls the end-to-end tests place (new and known callers, missed, voicemail, recorded,
 * transferred, with duplicated, reordered and dropped webhooks) and the people the CRM knows
 * before they start. What each call must become is checked by problems.ts.
 */
import type { CallSpec, SimCall } from '../../simulators/ringcentral/index.ts'
import type { StartedZohoSimulator } from '../../simulators/zoho/index.ts'
import { zohoUsers } from './fixtures.ts'
import type { Harness } from './harness.ts'

/** The company number calls come in on and go out from. */
export const companyNumber = '+16505550100'
/** The JWT user's extension: answers when a call names no extension. */
export const firstExtension = '2002'

/** Someone the CRM already knows. */
export interface KnownPerson {
  readonly module: 'Leads' | 'Contacts'
  readonly id: string
  readonly e164: string
  readonly ownerId: string
}

/** Phone numbers unique to one run: +1 415 <prefix> <suffix>. */
export const runNumbers = (prefix = 200 + Math.floor(Math.random() * 700)) => ({
  prefix,
  number: (suffix: number) => `+1415${prefix}${String(suffix).padStart(4, '0')}`,
})
export type RunNumbers = ReturnType<typeof runNumbers>

/**
 * Seeds a lead (phone stored formatted, with the country code) and a contact (phone stored in
 * national format, so it is found only through the national-number search variant).
 */
export const seedKnownPeople = (
  zoho: StartedZohoSimulator,
  numbers: RunNumbers,
): { lead: KnownPerson; contact: KnownPerson } => {
  const leadE164 = numbers.number(101)
  const contactE164 = numbers.number(102)
  const [lead] = zoho.sim.seed('Leads', [
    {
      First_Name: 'Ada',
      Last_Name: 'Lovelace',
      Company: 'Analytical Engines',
      Phone: `+1 (415) ${numbers.prefix}-0101`,
      Owner: { id: zohoUsers.bianca },
    },
  ])
  const [contact] = zoho.sim.seed('Contacts', [
    {
      First_Name: 'Grace',
      Last_Name: 'Hopper',
      Phone: `(415) ${numbers.prefix}-0102`,
      Owner: { id: zohoUsers.chen },
    },
  ])
  if (!lead || !contact) throw new Error('seeding the Zoho simulator returned nothing')
  return {
    lead: { module: 'Leads', id: String(lead['id']), e164: leadE164, ownerId: zohoUsers.bianca },
    contact: {
      module: 'Contacts',
      id: String(contact['id']),
      e164: contactE164,
      ownerId: zohoUsers.chen,
    },
  }
}

/** A call to place and what it must become. */
export interface PlannedCall {
  readonly label: string
  readonly spec: CallSpec
  /** Matched to this known person, or to the lead created for the external number. */
  readonly known?: KnownPerson
}

/** A placed call with the simulator's ids. */
export interface PlacedCall extends PlannedCall {
  readonly sim: SimCall
}

const inbound = (
  from: string,
  result: CallSpec['result'],
  extra: Partial<CallSpec> = {},
): CallSpec => ({ direction: 'Inbound', from, to: companyNumber, result, ...extra })

const outbound = (to: string, extra: Partial<CallSpec> = {}): CallSpec => ({
  direction: 'Outbound',
  from: companyNumber,
  to,
  result: 'answered',
  ...extra,
})

/** Every webhook of the call delivered twice and shuffled. */
const messy = { duplicate: 1, reorder: true } as const
/** Every webhook of the call lost: only the call-log reconciler can find it. */
const lost = { drop: 1 } as const

/**
 * Twelve calls: new and known callers, two calls from one new number, missed, voicemail,
 * recordings, a blind transfer, outbound calls, duplicated and reordered webhooks, and two calls
 * whose webhooks are all dropped.
 */
export const pipelineCalls = (
  numbers: RunNumbers,
  known: { lead: KnownPerson; contact: KnownPerson },
): PlannedCall[] => {
  const n = numbers.number
  return [
    {
      label: 'new caller A, answered, recorded',
      spec: inbound(n(201), 'answered', {
        recording: true,
        callerName: 'TURING, ALAN',
        faults: messy,
      }),
    },
    {
      label: 'new caller A again, missed (same lead)',
      spec: inbound(n(201), 'missed', { faults: { duplicate: 2 } }),
    },
    {
      label: 'known lead, answered, recorded',
      spec: inbound(known.lead.e164, 'answered', { recording: true, faults: { reorder: true } }),
      known: known.lead,
    },
    {
      label: 'known contact, voicemail',
      spec: inbound(known.contact.e164, 'voicemail', { extensionId: '2003', faults: messy }),
      known: known.contact,
    },
    {
      label: 'new caller B, missed',
      spec: inbound(n(202), 'missed', { extensionId: '2004', faults: messy }),
    },
    {
      label: 'new caller C, voicemail',
      spec: inbound(n(203), 'voicemail', { faults: { duplicate: 1 } }),
    },
    {
      label: 'new caller D, answered, blind transfer 2002 → 2003, recorded',
      spec: inbound(n(204), 'answered', { transferTo: '2003', recording: true, faults: messy }),
    },
    {
      label: 'outbound from 2004 to new number E, answered',
      spec: outbound(n(205), { extensionId: '2004', faults: { reorder: true } }),
    },
    {
      label: 'outbound to the known lead, answered',
      spec: outbound(known.lead.e164, { faults: messy }),
      known: known.lead,
    },
    {
      label: 'new caller F, answered, recorded, every webhook DROPPED',
      spec: inbound(n(206), 'answered', { recording: true, extensionId: '2003', faults: lost }),
    },
    {
      label: 'new caller G, missed, every webhook DROPPED',
      spec: inbound(n(207), 'missed', { faults: lost }),
    },
    {
      label: 'new caller H, answered, webhooks three times over and shuffled',
      spec: inbound(n(208), 'answered', { faults: { duplicate: 2, reorder: true } }),
    },
  ]
}

/**
 * Eight of the twelve, in two halves of four (the resilience test kills consumers between them):
 * a repeat new caller, a known contact's voicemail, a missed call, a recorded transfer, an
 * outbound call to a known lead, a recorded call whose webhooks are all dropped and one whose
 * webhooks come three times over. Fewer calls keep that test within RingCentral's Heavy budget
 * (9 requests a minute for all processes together) for fewer minutes.
 */
export const resilienceCalls = (
  numbers: RunNumbers,
  known: { lead: KnownPerson; contact: KnownPerson },
): PlannedCall[] => {
  const all = pipelineCalls(numbers, known)
  return [0, 1, 3, 4, 6, 8, 9, 11].flatMap((index) => all.slice(index, index + 1))
}

/** Places the calls one after the other (each call's webhooks start at once). */
export const placeCalls = async (
  harness: Harness,
  planned: readonly PlannedCall[],
): Promise<PlacedCall[]> => {
  const placed: PlacedCall[] = []
  for (const call of planned)
    placed.push({ ...call, sim: await harness.rc.sim.placeCall(call.spec) })
  return placed
}
