/**
 * @module integrations/zoho/calls
 * Call logging in Zoho's Calls module. A call is linked to a Contact through `Who_Id`, and to a
 * Lead through `What_Id` plus `$se_module: "Leads"` (Leads cannot be a `Who_Id`). Duration is
 * `mm:ss` text (minutes may pass 59), start time Zoho's `yyyy-MM-ddTHH:mm:ss±HH:mm` (UTC here).
 * A logged call is found again with COQL (no index lag) by its person and start time, then by a
 * marker line in its description (COQL cannot filter on a multi-line field).
 */
import type { CallActivity, CrmPerson } from '../crm/port.ts'
import { coqlFind, coqlString } from './coql.ts'
import { ZohoApiError } from './errors.ts'
import { recordId } from './paths.ts'
import { createRecord } from './records.ts'
import { hasLine } from './related-list.ts'
import type { ZohoTransport } from './transport.ts'

const invalid = (message: string, field: string) =>
  new ZohoApiError({ code: 'INVALID_INPUT', status: 0, message, details: { api_name: field } })

/**
 * Formats an instant as Zoho's datetime, in UTC without milliseconds:
 * `2025-01-10T10:15:00+00:00`.
 * @throws ZohoApiError `INVALID_INPUT` when `value` is not a date.
 */
export const zohoDateTime = (value: string | Date, field = 'datetime'): string => {
  const date = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(date.getTime())) throw invalid(`not a date: ${String(value)}`, field)
  return `${date.toISOString().slice(0, 19)}+00:00`
}

/**
 * Formats whole seconds as Zoho's call duration `mm:ss` (`205` → `03:25`, `4530` → `75:30`).
 * @throws ZohoApiError `INVALID_INPUT` on a negative or non-finite duration.
 */
export const callDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw invalid(`call duration must be zero or more seconds, got ${seconds}`, 'Call_Duration')
  }
  const whole = Math.round(seconds)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(whole / 60))}:${pad(whole % 60)}`
}

/** The Calls record for `call`. */
export const callFields = (call: CallActivity): Record<string, unknown> => {
  const fields: Record<string, unknown> = {
    Subject: call.subject,
    Call_Type: call.callType,
    Call_Start_Time: zohoDateTime(call.startTime, 'Call_Start_Time'),
    Call_Duration: callDuration(call.durationS),
  }
  // A logged outbound call is a completed one (Zoho otherwise treats it as scheduled).
  if (call.callType === 'Outbound') fields['Outgoing_Call_Status'] = 'Completed'
  if (call.description) fields['Description'] = call.description
  if (call.ownerId) fields['Owner'] = { id: call.ownerId }
  if (call.person.module === 'Contacts') {
    fields['Who_Id'] = { id: call.person.id }
  } else {
    fields['What_Id'] = { id: call.person.id }
    fields['$se_module'] = 'Leads'
  }
  return fields
}

/** Logs a call in the Calls module; returns the call record's id. */
export const logCall = (transport: ZohoTransport, call: CallActivity): Promise<{ id: string }> =>
  createRecord(transport, 'Calls', callFields(call), 'logCall')

/** What {@link findCall} looks for. */
export interface CallLookup {
  readonly person: Pick<CrmPerson, 'module' | 'id'>
  /** The call's start, as given to {@link logCall}. */
  readonly startTime: string
  /** A line the call's description contains, e.g. `RingCentral telephony session: s-1`. */
  readonly marker: string
}

/** The COQL query of the Calls records of `person` that started at `startTime`. */
export const callLookupQuery = ({ person, startTime }: CallLookup): string => {
  const lookup = person.module === 'Contacts' ? 'Who_Id' : 'What_Id'
  const start = zohoDateTime(startTime, 'Call_Start_Time')
  return `select id, Description from Calls where (${lookup} = ${coqlString(recordId(person.id))} and Call_Start_Time = ${coqlString(start)})`
}

/** The id of the Calls record logged for `lookup.person` at its start time with the marker, or null. */
export const findCall = async (
  transport: ZohoTransport,
  lookup: CallLookup,
): Promise<{ id: string } | null> => {
  const row = await coqlFind(
    transport,
    callLookupQuery(lookup),
    (candidate) => hasLine(candidate['Description'], lookup.marker),
    'findCall',
  )
  return row ? { id: row.id } : null
}
