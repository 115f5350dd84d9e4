/**
 * @module integrations/zoho/calls
 * Call logging in Zoho's Calls module. A call is linked to a Contact through `Who_Id`, and to a
 * Lead through `What_Id` plus `$se_module: "Leads"` (Leads cannot be a `Who_Id`). Duration is
 * `mm:ss` text (minutes may pass 59), start time Zoho's `yyyy-MM-ddTHH:mm:ss±HH:mm` (UTC here).
 */
import type { CallActivity } from '../crm/port.ts'
import { ZohoApiError } from './errors.ts'
import { createRecord } from './records.ts'
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
