/**
 * @module simulators/zoho/search
 * `GET /crm/v8/{module}/search` with one of `criteria`, `email`, `phone`, `word` (in that order
 * of precedence; none → 400 EXPECTED_PARAM_MISSING). A value shorter than 2 characters, or a
 * `phone`/`word` value with anything but letters and digits, is 400 INVALID_DATA ("The search
 * value contains special characters or does not contain at least two characters"). No match is
 * 204 with no body. Records written less than `indexLagMs` ago are matched on their previous
 * values (new ones not at all). Converted leads are hidden unless `converted=true|both`.
 * Matching rules: ./match.ts.
 */
import type { Hono } from 'hono'
import { parseCriteria } from './criteria.ts'
import type { Deps } from './deps.ts'
import { ZohoHttpError, zohoError } from './errors.ts'
import { digitsOf } from './format.ts'
import {
  criteriaMatches,
  criteriaProblem,
  phoneMatches,
  type Searchable,
  wordMatches,
} from './match.ts'
import { emailFields, type ModuleDef, phoneFields } from './modules.ts'
import { moduleOf } from './params.ts'
import { fieldsParam, presentRecord } from './present.ts'
import { searchView } from './record-store.ts'
import { recordsOf } from './state.ts'

const MAX_REACHABLE = 2000
const MAX_CRITERIA = 15
const PLAIN = /^[\p{L}\p{N}]+$/u

const bad = (code: string, message: string, details: Record<string, unknown>) =>
  new ZohoHttpError(400, zohoError(code, message, details))

const invalidValue = (param: string) => bad('INVALID_DATA', 'invalid data', { param_name: param })

type Matcher = (record: Searchable) => boolean

const matcherFor = (module: ModuleDef, query: Record<string, string>): Matcher => {
  const { criteria, email, phone, word } = query
  if (criteria !== undefined) {
    const parsed = parseCriteria(criteria)
    if (!parsed.ok) {
      throw bad('INVALID_QUERY', 'Invalid query formed', {
        api_name: 'criteria',
        reason: parsed.reason,
      })
    }
    if (parsed.count > MAX_CRITERIA) {
      throw bad(
        'CRITERIA_LIMIT_EXCEEDED',
        `no of criterium that can be given exceed the limit ${MAX_CRITERIA}`,
        {},
      )
    }
    const problem = criteriaProblem(module, parsed.node)
    if (problem) {
      const { field, operator } = problem.criterion
      throw bad(
        'INVALID_QUERY',
        'Invalid query formed',
        problem.unknownField
          ? { reason: 'the field is not available', api_name: field }
          : { operator, reason: 'invalid operator found', api_name: field },
      )
    }
    return (record) => criteriaMatches(module, record, parsed.node)
  }
  if (email !== undefined) {
    if (email.length < 2 || !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalidValue('email')
    const wanted = email.toLowerCase()
    const fields = emailFields(module)
    return (record) =>
      fields.some((field) => String(record.values[field] ?? '').toLowerCase() === wanted)
  }
  if (phone !== undefined) {
    if (phone.length < 2 || !PLAIN.test(phone)) throw invalidValue('phone')
    const fields = phoneFields(module)
    const digits = digitsOf(phone)
    return (record) =>
      digits === phone && fields.some((field) => phoneMatches(record.values[field], digits))
  }
  if (word !== undefined) {
    if (word.length < 2 || !PLAIN.test(word)) throw invalidValue('word')
    return (record) => wordMatches(module, record, word)
  }
  throw bad('EXPECTED_PARAM_MISSING', 'One of the expected parameter is missing', {
    param_names: ['criteria', 'email', 'phone', 'word'],
  })
}

const convertedFilter = (value: string | undefined) => {
  const wanted = value ?? 'false'
  return (converted: boolean) => wanted === 'both' || converted === (wanted === 'true')
}

export const registerSearchRoutes = (app: Hono, { state, options }: Deps) => {
  app.get('/crm/v8/:module/search', (c) => {
    const module = moduleOf(c)
    const query = c.req.query()
    const matches = matcherFor(module, query)
    const perPage = Math.min(200, Math.max(1, Number(query['per_page'] ?? 200) || 200))
    const page = Math.max(1, Number(query['page'] ?? 1) || 1)
    if (page * perPage > MAX_REACHABLE) {
      throw bad('LIMIT_REACHED', 'maximum response iteration limit reached', { limit: '2000' })
    }
    const converted = convertedFilter(query['converted'])
    const now = options.now()
    const found = [...recordsOf(state, module.apiName).values()]
      .filter((record) => {
        const values = searchView(record, now)
        if (!values || !converted(values['Converted__s'] === true)) return false
        return matches({ ...record, values })
      })
      .sort((a, b) => (a.id < b.id ? 1 : -1))
    const slice = found.slice((page - 1) * perPage, page * perPage)
    if (slice.length === 0) return c.body(null, 204)
    const only = fieldsParam(query['fields'])
    const data = slice.map((record) => presentRecord(state, record, only))
    const info = {
      per_page: perPage,
      count: data.length,
      page,
      more_records: found.length > page * perPage,
    }
    const sorted = query['criteria'] !== undefined ? { sort_by: 'id', sort_order: 'desc' } : {}
    return c.json({ data, info: { ...info, ...sorted } })
  })
}
