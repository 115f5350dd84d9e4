/**
 * @module simulators/zoho/list
 * Get Records, `GET /crm/v8/{module}` (OAS `record.json`), as the phone directory pages it:
 *
 * - `fields` is mandatory when listing a module, optional with `ids` (v8 doc: "mandatory when
 *   fetching all records"); without it → 400 REQUIRED_PARAM_MISSING.
 * - `ids=a,b,c` answers those records (unknown ids left out; none found → 204), converted or not.
 * - A list is sorted by id, newest (largest) first, and skips converted leads unless
 *   `converted=true|both` (the Get Records `converted` parameter, default false).
 * - `per_page` ≤ 200. `page` reaches the first 2,000 records; past that → 400 LIMIT_REACHED
 *   (Kaizen #60: "For more than 2000 and up to a maximum of 100,000 records, use the page_token
 *   parameter"; the error code is UNCONFIRMED, the one search documents).
 * - `info.next_page_token` (with `page_token_expiry`) comes with every page that has more
 *   records; `page_token` continues after the last record of that page, so records created or
 *   deleted meanwhile shift nothing. `page` with `page_token`, or a token that is malformed,
 *   expired or for another module → 400 INVALID_DATA (UNCONFIRMED code). Past 100,000 records
 *   → 400 LIMIT_REACHED. Token lifetime: 24 h (UNCONFIRMED).
 *
 * Get Records has no index lag: it reads the records as written.
 */
import type { Context } from 'hono'
import type { Deps } from './deps.ts'
import { errors, ZohoHttpError, zohoError } from './errors.ts'
import { zohoDateTime } from './format.ts'
import { moduleOf } from './params.ts'
import { fieldsParam, presentRecord } from './present.ts'
import { recordsOf, type StoredRecord } from './state.ts'

const PAGE_REACH = 2000
const TOKEN_REACH = 100_000
const TOKEN_LIFE_MS = 24 * 60 * 60 * 1000

interface Cursor {
  /** Module the token belongs to. */
  readonly m: string
  /** The last id served: the next page starts below it. */
  readonly a: string
  /** Records served so far (for the 100,000 reach). */
  readonly n: number
  /** Expiry, epoch ms. */
  readonly x: number
  /** The `converted` filter of the listing. */
  readonly c: string
}

const badParam = (name: string, message = 'invalid data') =>
  new ZohoHttpError(400, zohoError('INVALID_DATA', message, { param_name: name }))

const limitReached = () =>
  new ZohoHttpError(
    400,
    zohoError('LIMIT_REACHED', 'maximum response iteration limit reached', { limit: PAGE_REACH }),
  )

/** Zoho ids are long numbers: compared by length, then digits, without losing precision. */
const compareIds = (a: string, b: string): number =>
  a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)

const encodeCursor = (cursor: Cursor): string =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url')

const decodeCursor = (token: string, module: string, now: number): Cursor => {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
    if (typeof value === 'object' && value !== null) {
      const c = value as Record<string, unknown>
      const ok =
        c['m'] === module &&
        typeof c['a'] === 'string' &&
        typeof c['n'] === 'number' &&
        typeof c['x'] === 'number' &&
        typeof c['c'] === 'string'
      if (ok && (c['x'] as number) > now) return c as unknown as Cursor
    }
  } catch {
    // not base64url JSON: same answer as an expired token
  }
  throw badParam('page_token', 'the page_token given is invalid or has expired')
}

const convertedFilter = (wanted: string) => (record: StoredRecord) =>
  wanted === 'both' || (record.fields['Converted__s'] === true) === (wanted === 'true')

const byIds = (c: Context, deps: Deps, ids: readonly string[]) => {
  const records = recordsOf(deps.state, moduleOf(c).apiName)
  const only = fieldsParam(c.req.query('fields'))
  const found = ids.flatMap((id) => {
    const record = records.get(id)
    return record ? [presentRecord(deps.state, record, only)] : []
  })
  if (found.length === 0) return c.body(null, 204)
  return c.json({
    data: found,
    info: { per_page: found.length, count: found.length, page: 1, more_records: false },
  })
}

/** Answers `GET /crm/v8/{module}`. */
export const listRecords = (c: Context, deps: Deps) => {
  const module = moduleOf(c)
  const ids = fieldsParam(c.req.query('ids'))
  if (ids) return byIds(c, deps, ids)
  const only = fieldsParam(c.req.query('fields'))
  if (!only) throw errors.missingParam('fields')
  const now = deps.options.now()
  const perPage = Math.min(200, Math.max(1, Number(c.req.query('per_page') ?? 200) || 200))
  const token = c.req.query('page_token')
  const pageParam = c.req.query('page')
  if (token !== undefined && pageParam !== undefined) {
    throw badParam('page', 'page and page_token cannot be used together')
  }
  const cursor = token === undefined ? undefined : decodeCursor(token, module.apiName, now)
  const converted = cursor?.c ?? c.req.query('converted') ?? 'false'
  const page = Math.max(1, Number(pageParam ?? 1) || 1)
  if (!cursor && page * perPage > PAGE_REACH) throw limitReached()

  const all = [...recordsOf(deps.state, module.apiName).values()]
    .filter(convertedFilter(converted))
    .sort((a, b) => compareIds(b.id, a.id))
  const after = cursor ? all.filter((record) => compareIds(record.id, cursor.a) < 0) : all
  const skip = cursor ? 0 : (page - 1) * perPage
  const served = cursor ? cursor.n : skip
  if (served >= TOKEN_REACH) throw limitReached()
  const slice = after.slice(skip, skip + Math.min(perPage, TOKEN_REACH - served))
  if (slice.length === 0) return c.body(null, 204)
  const more = after.length > skip + slice.length
  const last = slice[slice.length - 1]
  const next =
    more && last
      ? {
          next_page_token: encodeCursor({
            m: module.apiName,
            a: last.id,
            n: served + slice.length,
            x: now + TOKEN_LIFE_MS,
            c: converted,
          }),
          page_token_expiry: zohoDateTime(now + TOKEN_LIFE_MS),
        }
      : {}
  return c.json({
    data: slice.map((record) => presentRecord(deps.state, record, only)),
    info: {
      per_page: perPage,
      count: slice.length,
      page: cursor ? 1 : page,
      more_records: more,
      sort_by: 'id',
      sort_order: 'desc',
      ...next,
    },
  })
}
