/**
 * @module simulators/zoho/coql
 * `POST /crm/v8/coql` with `{"select_query": "select … from <Module> where …"}` (OAS
 * `coql.json`; syntax in ./coql-parse.ts, rules in ./coql-check.ts). Errors are 400:
 * SYNTAX_ERROR `{line, column, near}` or `{clause}`, INVALID_QUERY, LIMIT_EXCEEDED,
 * DUPLICATE_DATA. The answer is `{data, info: {count, more_records}}` with the selected fields
 * and `id` (lookups `{name, id}`, as GET presents them); 204 when nothing matches.
 *
 * Unlike search, COQL reads the records as written: no index lag (Zoho: "To fetch records
 * without any delay, use the Query API"). It counts toward the sub-concurrency of 10, like
 * search (./limits.ts).
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import { readJson } from './body.ts'
import { checkCoql } from './coql-check.ts'
import { parseCoql } from './coql-parse.ts'
import type { Deps } from './deps.ts'
import { ZohoHttpError, zohoError } from './errors.ts'
import { presentRecord } from './present.ts'
import { recordsOf } from './state.ts'

/** The COQL path, also used by the limits to apply the sub-concurrency. */
export const coqlPath = '/crm/v8/coql'

const CoqlBody = z.looseObject({ select_query: z.string() })

export const registerCoqlRoutes = (app: Hono, { state }: Deps) => {
  app.post(coqlPath, async (c) => {
    const { select_query: text } = await readJson(c, CoqlBody)
    const parsed = parseCoql(text)
    if (!parsed.ok) {
      throw new ZohoHttpError(
        400,
        zohoError('SYNTAX_ERROR', 'invalid query formed', parsed.details),
      )
    }
    const check = checkCoql(parsed.query)
    if (!check.ok) throw new ZohoHttpError(400, check.error)
    const { module, columns, matches, compare, limit, offset } = check.checked
    const rows = [...recordsOf(state, module.apiName).values()]
      .map((record) => presentRecord(state, record))
      .filter(matches)
      .sort(compare)
    const page = rows.slice(offset, offset + limit)
    if (page.length === 0) return c.body(null, 204)
    const data = page.map((row) =>
      Object.fromEntries([...columns.map((name) => [name, row[name] ?? null]), ['id', row['id']]]),
    )
    return c.json({
      data,
      info: { count: data.length, more_records: rows.length > offset + limit },
    })
  })
}
