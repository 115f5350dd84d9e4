/**
 * @module simulators/zoho/upsert
 * `POST /crm/v8/{module}/upsert`. Each record is matched against existing ones on the duplicate
 * check fields, in order: `duplicate_check_fields` when given, else the module's system fields
 * (Leads and Contacts: `Email`; Accounts: `Account_Name`) then the org's unique fields. Only
 * those two kinds may be named (else 400 INVALID_DATA). A match is updated (`action: 'update'`,
 * `duplicate_field`: the field that matched); no match is inserted (`action: 'insert'`,
 * `duplicate_field: null`, as in Zoho's sample, although the OAS types it as a plain string).
 * Text is compared case-insensitively, phone numbers by their digits.
 */
import type { Context } from 'hono'
import { batchStatus } from './body.ts'
import type { Deps } from './deps.ts'
import { ZohoHttpError, zohoError } from './errors.ts'
import { digitsOf } from './format.ts'
import { fieldOf, type ModuleDef } from './modules.ts'
import type { Change } from './notify.ts'
import { readWrite } from './params.ts'
import { successDetails } from './present.ts'
import { insertRecord, updateRecord } from './record-store.ts'
import { recordsOf, type StoredRecord } from './state.ts'
import { validateRecord } from './validate.ts'

const comparable = (module: ModuleDef, field: string, value: unknown): string | null => {
  if (typeof value !== 'string' || value.trim() === '') return null
  return fieldOf(module, field)?.type === 'phone' ? digitsOf(value) : value.trim().toLowerCase()
}

const duplicateFields = (deps: Deps, module: ModuleDef, named?: readonly string[]) => {
  const unique = deps.options.uniqueFields[module.apiName] ?? []
  const allowed = [...module.duplicateCheck, ...unique]
  if (!named) return allowed
  named.forEach((field, i) => {
    if (!allowed.includes(field)) {
      throw new ZohoHttpError(
        400,
        zohoError('INVALID_DATA', 'invalid data', {
          api_name: field,
          json_path: `$.duplicate_check_fields[${i}]`,
        }),
      )
    }
  })
  return named
}

const findDuplicate = (
  records: Iterable<StoredRecord>,
  module: ModuleDef,
  fields: readonly string[],
  input: Record<string, unknown>,
): { record: StoredRecord; field: string } | null => {
  for (const field of fields) {
    const wanted = comparable(module, field, input[field])
    if (wanted === null) continue
    for (const record of records) {
      if (comparable(module, field, record.fields[field]) === wanted) return { record, field }
    }
  }
  return null
}

export const upsertRecords = async (c: Context, deps: Deps, module: ModuleDef) => {
  const { state, options, notifier } = deps
  const body = await readWrite(c)
  const fields = duplicateFields(deps, module, body.duplicate_check_fields)
  const records = recordsOf(state, module.apiName)
  const inserted: Change[] = []
  const updated: Change[] = []
  const data = body.data.map((input, i) => {
    const duplicate = findDuplicate(records.values(), module, fields, input)
    const checked = validateRecord(state, module, input, i, duplicate ? 'update' : 'create')
    if (!checked.ok) return checked.error
    if (duplicate) {
      const { record, field } = duplicate
      const changed = updateRecord(state, options, record, checked.fields, checked.ownerId)
      updated.push({ id: record.id, fields: changed })
      const details = successDetails(state, record)
      return {
        code: 'SUCCESS',
        duplicate_field: field,
        action: 'update',
        details,
        message: 'record updated',
        status: 'success',
      }
    }
    const record = insertRecord(state, options, module.apiName, checked.fields, {
      ownerId: checked.ownerId,
    })
    inserted.push({ id: record.id, fields: checked.fields })
    const details = successDetails(state, record)
    return {
      code: 'SUCCESS',
      duplicate_field: null,
      action: 'insert',
      details,
      message: 'record added',
      status: 'success',
    }
  })
  notifier.emit(module.apiName, 'insert', inserted)
  notifier.emit(module.apiName, 'update', updated)
  return c.json({ data }, batchStatus(data, 200))
}
