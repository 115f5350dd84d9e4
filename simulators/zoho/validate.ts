/**
 * @module simulators/zoho/validate
 * Field validation of one record of a write, as Zoho reports it per record: MANDATORY_NOT_FOUND
 * for a missing system-mandatory field on create (or one cleared on update), INVALID_DATA for a
 * value of the wrong type, format or length, a strict picklist value not in the list, or a
 * lookup to no record, and DEPENDENT_FIELD_MISSING for a `What_Id` without `$se_module`.
 * Read-only and unknown fields are ignored, as Zoho ignores them.
 */
import { type ZohoErrorBody, zohoError } from './errors.ts'
import { ZOHO_DATE_TIME } from './format.ts'
import { type FieldDef, fieldOf, type ModuleDef, whatIdModules } from './modules.ts'
import { durationSeconds } from './present.ts'
import { type Fields, recordsOf, type SimState } from './state.ts'

export type Validation =
  | { readonly ok: true; readonly fields: Fields; readonly ownerId?: string }
  | { readonly ok: false; readonly error: ZohoErrorBody }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
/** Digits with the usual separators and an optional leading `+`; at least one digit. */
const PHONE = /^\+?[\d\s\-().]*\d[\d\s\-().]*$/

const invalid = (details: Record<string, unknown>): Validation => ({
  ok: false,
  error: zohoError('INVALID_DATA', 'invalid data', details),
})

const empty = (value: unknown) => value === undefined || value === null || value === ''

const lookupId = (value: unknown): string | null => {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null
  const id = value.id
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null
}

/** Checks one value against its field; null when it is fine. */
const checkValue = (
  state: SimState,
  field: FieldDef,
  value: unknown,
  input: Fields,
  at: { api_name: string; json_path: string },
): Validation | null => {
  if (value === null) return null
  const typed = (expected: string) => invalid({ expected_data_type: expected, ...at })
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'website':
    case 'email':
    case 'phone':
    case 'picklist': {
      if (typeof value !== 'string') return typed(field.type)
      if (field.length !== undefined && value.length > field.length) {
        return invalid({ maximum_length: field.length, ...at })
      }
      if (field.type === 'email' && !EMAIL.test(value)) return typed('email')
      if (field.type === 'phone' && !PHONE.test(value)) return typed('phone')
      if (field.strict && !field.values?.includes(value)) return invalid(at)
      if (field.apiName === 'Call_Duration' && durationSeconds(value) === null) return invalid(at)
      return null
    }
    case 'datetime':
      return typeof value === 'string' && ZOHO_DATE_TIME.test(value) ? null : typed('datetime')
    case 'boolean':
      return typeof value === 'boolean' ? null : typed('boolean')
    case 'integer':
    case 'bigint':
      return Number.isInteger(value) ? null : typed(field.type)
    case 'ownerlookup': {
      const id = lookupId(value)
      return state.users.some((user) => user.id === id) ? null : typed('ownerlookup')
    }
    case 'lookup': {
      const id = lookupId(value)
      const target = field.lookupModule ? recordsOf(state, field.lookupModule) : undefined
      return id !== null && target?.has(id) ? null : typed('lookup')
    }
    case 'multi_module_lookup': {
      const seModule = input['$se_module']
      if (typeof seModule !== 'string' || seModule.length === 0) {
        return {
          ok: false,
          error: zohoError('DEPENDENT_FIELD_MISSING', 'Dependent Fields missing', {
            api_name: '$se_module',
            json_path: at.json_path.replace(/[^.]+$/, '$se_module'),
            dependee: at,
          }),
        }
      }
      const id = lookupId(value)
      const known = (whatIdModules as readonly string[]).includes(seModule)
      return known && id !== null && recordsOf(state, seModule).has(id) ? null : typed('lookup')
    }
  }
}

/** Validates record `index` of a write; on success returns the fields to store. */
export const validateRecord = (
  state: SimState,
  module: ModuleDef,
  input: Fields,
  index: number,
  mode: 'create' | 'update',
): Validation => {
  const at = (apiName: string) => ({ api_name: apiName, json_path: `$.data[${index}].${apiName}` })
  for (const field of module.fields) {
    if (!field.mandatory) continue
    const given = field.apiName in input
    const scheduled = input['Outgoing_Call_Status'] === 'Scheduled'
    if (field.apiName === 'Call_Duration' && scheduled) continue
    if ((mode === 'create' || given) && empty(input[field.apiName])) {
      return {
        ok: false,
        error: zohoError('MANDATORY_NOT_FOUND', 'required field not found', at(field.apiName)),
      }
    }
  }
  const fields: Fields = {}
  let ownerId: string | undefined
  for (const [key, value] of Object.entries(input)) {
    const field = fieldOf(module, key)
    if (!field || field.readOnly) continue
    const problem = checkValue(state, field, value, input, at(key))
    if (problem) return problem
    if (field.type === 'ownerlookup') {
      ownerId = lookupId(value) ?? undefined
      continue
    }
    fields[key] =
      field.type === 'lookup' || field.type === 'multi_module_lookup'
        ? value === null
          ? null
          : { id: lookupId(value) }
        : value
    if (field.type === 'multi_module_lookup') fields['$se_module'] = input['$se_module']
  }
  return ownerId === undefined ? { ok: true, fields } : { ok: true, fields, ownerId }
}
