/**
 * @module simulators/zoho/records
 * Record routes of Leads, Contacts, Accounts and Calls (OAS `record.json`): create, get by id,
 * list (./list.ts), update (one by path, many by `data[].id`), upsert and delete. Writes take at
 * most 100 records and answer per record in `data[]`: `{ code: 'SUCCESS', details, message,
 * status }` or the error envelope. HTTP status: 201 (create) / 200 (update, upsert) when every record
 * succeeded, 202 when some failed, 400 when all did. Every successful write is notified to the
 * watch channels of its module.
 */
import type { Context, Hono } from 'hono'
import { batchStatus } from './body.ts'
import type { Deps } from './deps.ts'
import { errors, zohoError } from './errors.ts'
import { RECORD_ID } from './format.ts'
import { listRecords } from './list.ts'
import type { ModuleDef } from './modules.ts'
import type { Change } from './notify.ts'
import { moduleOf, readWrite } from './params.ts'
import { fieldsParam, presentRecord, successDetails } from './present.ts'
import { insertRecord, updateRecord } from './record-store.ts'
import { recordsOf, type StoredRecord } from './state.ts'
import { upsertRecords } from './upsert.ts'
import { validateRecord } from './validate.ts'

const success = (deps: Deps, record: StoredRecord, message: string) => ({
  code: 'SUCCESS',
  details: successDetails(deps.state, record),
  message,
  status: 'success',
})

const invalidIdError = (id: string) =>
  zohoError('INVALID_DATA', 'the id given seems to be invalid', { id })

const updateOne = (deps: Deps, module: ModuleDef, input: Record<string, unknown>, i: number) => {
  const id = typeof input['id'] === 'string' || typeof input['id'] === 'number' ? input['id'] : null
  if (id === null) {
    return {
      result: zohoError('MANDATORY_NOT_FOUND', 'required field not found', {
        api_name: 'id',
        json_path: `$.data[${i}].id`,
      }),
    }
  }
  const record = recordsOf(deps.state, module.apiName).get(String(id))
  if (!record) return { result: invalidIdError(String(id)) }
  const checked = validateRecord(deps.state, module, input, i, 'update')
  if (!checked.ok) return { result: checked.error }
  const fields = updateRecord(deps.state, deps.options, record, checked.fields, checked.ownerId)
  return { result: success(deps, record, 'record updated'), change: { id: record.id, fields } }
}

const update = async (c: Context, deps: Deps, pathId?: string) => {
  const module = moduleOf(c)
  const body = await readWrite(c)
  const inputs = pathId ? body.data.map((input) => ({ ...input, id: pathId })) : body.data
  const outcomes = inputs.map((input, i) => updateOne(deps, module, input, i))
  const changes = outcomes.flatMap((outcome) => (outcome.change ? [outcome.change] : []))
  deps.notifier.emit(module.apiName, 'update', changes)
  const data = outcomes.map((outcome) => outcome.result)
  return c.json({ data }, batchStatus(data, 200))
}

export const registerRecordRoutes = (app: Hono, deps: Deps) => {
  const { state, options, notifier } = deps

  app.post('/crm/v8/:module/upsert', (c) => upsertRecords(c, deps, moduleOf(c)))

  app.post('/crm/v8/:module', async (c) => {
    const module = moduleOf(c)
    const body = await readWrite(c)
    const changes: Change[] = []
    const data = body.data.map((input, i) => {
      const checked = validateRecord(state, module, input, i, 'create')
      if (!checked.ok) return checked.error
      const record = insertRecord(state, options, module.apiName, checked.fields, {
        ownerId: checked.ownerId,
      })
      changes.push({ id: record.id, fields: checked.fields })
      return success(deps, record, 'record added')
    })
    notifier.emit(module.apiName, 'insert', changes)
    return c.json({ data }, batchStatus(data, 201))
  })

  app.put('/crm/v8/:module', (c) => update(c, deps))
  app.put('/crm/v8/:module/:id', (c) => update(c, deps, c.req.param('id')))

  app.get('/crm/v8/:module', (c) => listRecords(c, deps))

  app.get('/crm/v8/:module/:id', (c) => {
    const module = moduleOf(c)
    const id = c.req.param('id')
    if (!RECORD_ID.test(id)) throw errors.invalidId()
    const record = recordsOf(state, module.apiName).get(id)
    if (!record) return c.body(null, 204)
    return c.json({ data: [presentRecord(state, record, fieldsParam(c.req.query('fields')))] })
  })

  const remove = (c: Context, ids: readonly string[]) => {
    const module = moduleOf(c)
    const records = recordsOf(state, module.apiName)
    const deleted: Change[] = []
    const data = ids.map((id) => {
      if (!records.delete(id)) return invalidIdError(id)
      deleted.push({ id, fields: {} })
      return { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' }
    })
    notifier.emit(module.apiName, 'delete', deleted)
    return c.json({ data }, batchStatus(data, 200))
  }
  app.delete('/crm/v8/:module/:id', (c) => remove(c, [c.req.param('id')]))
  app.delete('/crm/v8/:module', (c) => {
    const ids = fieldsParam(c.req.query('ids'))
    if (!ids) throw errors.missingParam('ids')
    return remove(c, ids)
  })
}
