/**
 * @module integrations/zoho/related-list
 * Finding one item in a record's related list (`GET /crm/v8/{module}/{id}/Notes`,
 * `…/Attachments`): page by page (`per_page=200`, `page=n`, the `fields` v8 asks for) while
 * Zoho has more, up to 2 000 items (10 pages; further pages need a `page_token`). 204 means an
 * empty list. Also {@link hasLine}, how a marker written into a text is recognised.
 */
import { z } from 'zod'
import { ZohoApiError } from './errors.ts'
import { apiBase, moduleName, recordId } from './paths.ts'
import type { ZohoTransport } from './transport.ts'

/** One item of a related list: its id and the fields asked for. */
export const RelatedItem = z.looseObject({ id: z.string() })
export type RelatedItem = z.infer<typeof RelatedItem>

const RelatedListResponse = z.looseObject({
  data: z.array(RelatedItem),
  info: z.looseObject({ more_records: z.boolean().optional() }).optional(),
})

const perPage = 200
const maxPages = 10

/** What {@link findRelated} looks through. */
export interface RelatedListQuery {
  readonly module: string
  readonly id: string
  /** `Notes`, `Attachments`. */
  readonly list: string
  readonly fields: readonly string[]
  readonly operation: string
}

/** The first item of the list that `wanted` accepts, or null. */
export const findRelated = async (
  transport: ZohoTransport,
  { module, id, list, fields, operation }: RelatedListQuery,
  wanted: (item: RelatedItem) => boolean,
): Promise<RelatedItem | null> => {
  const path = `${apiBase}/${moduleName(module)}/${recordId(id)}/${list}`
  for (let page = 1; page <= maxPages; page += 1) {
    const response = await transport.request({
      operation,
      method: 'GET',
      path,
      query: { fields: fields.join(','), per_page: String(perPage), page: String(page) },
    })
    if (response.status === 204 || response.body === null) return null
    const parsed = RelatedListResponse.safeParse(response.body)
    if (!parsed.success) {
      throw new ZohoApiError({
        code: 'UNEXPECTED_RESPONSE',
        status: response.status,
        message: `${operation}: ${list} answer has no readable data[]`,
        cause: parsed.error,
      })
    }
    const item = parsed.data.data.find(wanted)
    if (item) return item
    if (parsed.data.info?.more_records !== true) return null
  }
  return null
}

/**
 * True when `text` has `line` as one of its lines (surrounding spaces ignored): the marker
 * `RingCentral telephony session: s-1` is found in a description, `… session: s-10` is not.
 */
export const hasLine = (text: unknown, line: string): boolean =>
  typeof text === 'string' &&
  line.trim() !== '' &&
  text.split(/\r?\n/).some((candidate) => candidate.trim() === line.trim())
