/**
 * @module simulators/zoho/present
 * A stored record as the API returns it: every field of the module (null when empty), lookups as
 * `{ name, id }`, users as `{ name, id, email }`, computed `Full_Name` and
 * `Call_Duration_in_seconds`, and `Tag: []`. `fields=` limits the keys (plus `id`).
 */
import { zohoDateTime } from './format.ts'
import { findModule } from './modules.ts'
import { type Fields, findRecord, type SimState, type StoredRecord } from './state.ts'
import { userRef } from './users-data.ts'

const userById = (state: SimState, id: string) => {
  const user = state.users.find((candidate) => candidate.id === id)
  return user ? userRef(user) : { name: 'Unknown', id, email: '' }
}

/** The display name of a record: its `Full_Name`, `Account_Name` or `Subject`. */
export const recordName = (record: StoredRecord): string | null => {
  const { fields } = record
  for (const key of ['Account_Name', 'Subject']) {
    const value = fields[key]
    if (typeof value === 'string') return value
  }
  return fullNameOf(fields)
}

export const fullNameOf = (fields: Fields): string | null => {
  const parts = [fields['Salutation'], fields['First_Name'], fields['Last_Name']].filter(
    (part): part is string => typeof part === 'string' && part.length > 0,
  )
  return parts.length > 0 ? parts.join(' ') : null
}

/** `mm:ss` (minutes may exceed 59) → seconds, or null. */
export const durationSeconds = (value: unknown): number | null => {
  if (typeof value !== 'string') return null
  const match = /^(\d+):([0-5]\d)$/.exec(value)
  return match ? Number(match[1]) * 60 + Number(match[2]) : null
}

const lookupRef = (state: SimState, value: unknown) => {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null
  const id = String(value.id)
  const target = findRecord(state, id)
  return { name: target ? recordName(target) : null, id }
}

export const presentRecord = (
  state: SimState,
  record: StoredRecord,
  only?: readonly string[],
): Record<string, unknown> => {
  const module = findModule(record.module)
  const out: Record<string, unknown> = {}
  for (const field of module?.fields ?? []) {
    const value = record.fields[field.apiName]
    out[field.apiName] =
      field.type === 'lookup' || field.type === 'multi_module_lookup'
        ? lookupRef(state, value)
        : (value ?? null)
  }
  Object.assign(out, {
    Owner: userById(state, record.ownerId),
    Created_By: userById(state, record.createdById),
    Modified_By: userById(state, record.modifiedById),
    Created_Time: zohoDateTime(record.createdAt),
    Modified_Time: zohoDateTime(record.modifiedAt),
    Tag: [],
    $approval_state: 'approved',
    id: record.id,
  })
  if ('Full_Name' in out) out['Full_Name'] = fullNameOf(record.fields)
  if ('Converted__s' in out) out['Converted__s'] = record.fields['Converted__s'] === true
  if (record.module === 'Calls') {
    out['Call_Duration_in_seconds'] = durationSeconds(record.fields['Call_Duration'])
    out['$se_module'] = record.fields['$se_module'] ?? null
  }
  if (!only) return out
  return Object.fromEntries(
    Object.entries(out).filter(([key]) => key === 'id' || only.includes(key)),
  )
}

/** Parses `fields=A,B` into names, or undefined when absent. */
export const fieldsParam = (value: string | undefined): string[] | undefined =>
  value
    ? value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : undefined

/** `details` of a per-record success: id, times and users (OAS `Success_Response.details`). */
export const successDetails = (state: SimState, record: StoredRecord) => ({
  Modified_Time: zohoDateTime(record.modifiedAt),
  Modified_By: shortUser(state, record.modifiedById),
  Created_Time: zohoDateTime(record.createdAt),
  id: record.id,
  Created_By: shortUser(state, record.createdById),
})

/** `{ name, id }`, the user shape of write responses. */
export const shortUser = (state: SimState, id: string) => {
  const { name } = userById(state, id)
  return { name, id }
}
