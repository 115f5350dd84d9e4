/**
 * @module simulators/zoho/params
 * Shared request pieces of the record routes: the `{module}` path parameter and the write body
 * (OAS `Body_Wrapper`, at most 100 records).
 */
import type { Context } from 'hono'
import { z } from 'zod'
import { readJson } from './body.ts'
import { errors, ZohoHttpError, zohoError } from './errors.ts'
import { type ModuleDef, recordModule } from './modules.ts'

/** Body of create, update and upsert. */
export const WriteBody = z.looseObject({
  data: z.array(z.record(z.string(), z.unknown())).min(1),
  trigger: z.array(z.string()).optional(),
  duplicate_check_fields: z.array(z.string()).optional(),
})
export type WriteBody = z.infer<typeof WriteBody>

const MAX_RECORDS = 100

/** The record module named by the `{module}` path parameter, or 400 INVALID_MODULE. */
export const moduleOf = (c: Context): ModuleDef => {
  const module = recordModule(c.req.param('module') ?? '')
  if (!module) throw errors.invalidModule()
  return module
}

/** Reads a write body and enforces the 100-record cap (400 LIMIT_EXCEEDED). */
export const readWrite = async (c: Context): Promise<WriteBody> => {
  const body = await readJson(c, WriteBody)
  if (body.data.length > MAX_RECORDS) {
    throw new ZohoHttpError(
      400,
      zohoError('LIMIT_EXCEEDED', 'Record count exceeded', { limit: MAX_RECORDS }),
    )
  }
  return body
}
