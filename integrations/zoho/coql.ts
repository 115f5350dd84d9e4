/**
 * @module integrations/zoho/coql
 * Zoho's Query API: `POST /crm/v8/coql` with `{"select_query": "select … from … where …"}`.
 * Unlike search, it reads records as written ("To fetch records without any delay, use the Query
 * API"), so it can find a record created a moment ago. It only reads, so it is sent as
 * idempotent (retried on 5xx and timeouts like a GET). 204 means no rows. Limits: 200 rows per
 * call, 10 000 reachable with OFFSET; multi-line fields (`Description`) cannot be criteria, only
 * selected. Needs the `ZohoCRM.coql.READ` scope.
 */
import { z } from 'zod'
import { ZohoApiError } from './errors.ts'
import { apiBase } from './paths.ts'
import type { ZohoTransport } from './transport.ts'

/** One row: the selected fields and `id`. */
export const CoqlRow = z.looseObject({ id: z.string() })
export type CoqlRow = z.infer<typeof CoqlRow>

/** `POST /coql` (200; 204 means no rows). */
export const CoqlResponse = z.looseObject({
  data: z.array(CoqlRow),
  info: z.looseObject({ more_records: z.boolean().optional() }).optional(),
})
export type CoqlResponse = z.infer<typeof CoqlResponse>

/** One page of a query. */
export interface CoqlPage {
  readonly rows: CoqlRow[]
  /** Zoho has more rows past this page. */
  readonly more: boolean
}

/** Rows per call (Zoho's maximum) and rows reachable through OFFSET. */
export const coqlPageSize = 200
export const coqlReachable = 10_000

/**
 * A COQL string literal: single quotes, a quote inside doubled (`O'Brien` → `'O''Brien'`).
 * @example
 * ```ts
 * `select id from Leads where Last_Name = ${coqlString(name)}`
 * ```
 */
export const coqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`

/** Runs one query; its text must carry its own LIMIT/OFFSET when it needs them. */
export const coqlQuery = async (
  transport: ZohoTransport,
  selectQuery: string,
  operation = 'coql',
): Promise<CoqlPage> => {
  const response = await transport.request({
    operation,
    method: 'POST',
    path: `${apiBase}/coql`,
    json: { select_query: selectQuery },
    idempotent: true,
  })
  if (response.status === 204 || response.body === null) return { rows: [], more: false }
  const parsed = CoqlResponse.safeParse(response.body)
  if (!parsed.success) {
    throw new ZohoApiError({
      code: 'UNEXPECTED_RESPONSE',
      status: response.status,
      message: `${operation}: COQL answer has no readable data[]`,
      cause: parsed.error,
    })
  }
  return { rows: parsed.data.data, more: parsed.data.info?.more_records === true }
}

/**
 * The first row of `selectQuery` (written without LIMIT) that `wanted` accepts, reading page by
 * page (`limit <offset>, 200`) while Zoho has more, up to the 10 000 reachable rows; null when
 * none is.
 */
export const coqlFind = async (
  transport: ZohoTransport,
  selectQuery: string,
  wanted: (row: CoqlRow) => boolean,
  operation = 'coql',
): Promise<CoqlRow | null> => {
  for (let offset = 0; offset < coqlReachable; offset += coqlPageSize) {
    const page = await coqlQuery(
      transport,
      `${selectQuery} limit ${offset}, ${coqlPageSize}`,
      operation,
    )
    const row = page.rows.find(wanted)
    if (row) return row
    if (!page.more) return null
  }
  return null
}
