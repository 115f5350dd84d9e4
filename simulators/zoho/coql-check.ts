/**
 * @module simulators/zoho/coql-check
 * Checks a parsed COQL query against its module and turns it into a row filter. Pure. What Zoho
 * documents (shared/reference/zoho.md §3 COQL; the v2-v4 "Query API - Limitations" pages):
 *
 * - comparators by field type: text, picklist, email, phone, website `= != like, not like, in,
 *   not in, is null, is not null`; date-time and numbers also `> >= < <= between, not between`;
 *   lookups, owner and `id` `= != in, not in, is null, is not null` (a lookup compares its id:
 *   `What_Id = '5725767000000100001'`); booleans `= !=`;
 * - multi-line fields (`Description`) cannot be used in criteria: INVALID_QUERY "data type not
 *   supported";
 * - `not like` only as `'%x%'`; `like` with `%` at the start and/or the end;
 * - at most 50 columns, 25 criteria, 100 values in `in`, LIMIT 200, 10 000 rows reachable with
 *   OFFSET: LIMIT_EXCEEDED; a column named twice: DUPLICATE_DATA;
 * - an unknown column: INVALID_QUERY "column given seems to be invalid"; a value of the wrong
 *   type: INVALID_QUERY "value given seems to be invalid for the column".
 * Text compares case-insensitively; a null value satisfies only `is null`. Rows are filtered on
 * the record as the API presents it (./present.ts), so computed fields work too.
 */

import type { CoqlCondition, CoqlOperator, CoqlQuery, CoqlValue } from './coql-parse.ts'
import { type ZohoErrorBody, zohoError } from './errors.ts'
import { parseZohoDateTime } from './format.ts'
import { type FieldType, type ModuleDef, recordModule } from './modules.ts'

/** A presented record (./present.ts): field values by API name, plus `id`. */
export type CoqlRow = Readonly<Record<string, unknown>>

export interface CheckedCoql {
  readonly module: ModuleDef
  /** The selected columns, as API names. */
  readonly columns: readonly string[]
  readonly matches: (row: CoqlRow) => boolean
  readonly compare: (a: CoqlRow, b: CoqlRow) => number
  readonly limit: number
  readonly offset: number
}

export type CoqlCheck =
  | { readonly ok: true; readonly checked: CheckedCoql }
  | { readonly ok: false; readonly error: ZohoErrorBody }

export const coqlLimits = {
  columns: 50,
  criteria: 25,
  inValues: 100,
  rows: 200,
  reachable: 10_000,
} as const

type ColumnType = FieldType | 'id'

const TEXT: readonly ColumnType[] = ['text', 'picklist', 'email', 'phone', 'website']
const ORDERED: readonly ColumnType[] = ['datetime', 'integer', 'bigint']
const LOOKUP: readonly ColumnType[] = ['lookup', 'ownerlookup', 'multi_module_lookup', 'id']
const NULLS: readonly CoqlOperator[] = ['is null', 'is not null']
const SETS: readonly CoqlOperator[] = ['=', '!=', 'in', 'not in', ...NULLS]
const RANGES: readonly CoqlOperator[] = ['>', '>=', '<', '<=', 'between', 'not between']

const operatorsOf = (type: ColumnType): readonly CoqlOperator[] => {
  if (TEXT.includes(type)) return [...SETS, 'like', 'not like']
  if (ORDERED.includes(type)) return [...SETS, ...RANGES]
  if (LOOKUP.includes(type)) return SETS
  if (type === 'boolean') return ['=', '!=']
  return []
}

class CoqlCheckError extends Error {
  readonly body: ZohoErrorBody
  constructor(body: ZohoErrorBody) {
    super(body.message)
    this.body = body
  }
}

const invalid = (message: string, details: Record<string, unknown>) =>
  new CoqlCheckError(zohoError('INVALID_QUERY', message, details))
const exceeded = (by: string, limit: number) =>
  new CoqlCheckError(zohoError('LIMIT_EXCEEDED', 'limit exceeded', { by, limit }))

const columnOf = (module: ModuleDef, name: string, clause: string) => {
  const lower = name.toLowerCase()
  if (lower === 'id') return { apiName: 'id', type: 'id' as ColumnType }
  const field = module.fields.find((candidate) => candidate.apiName.toLowerCase() === lower)
  if (!field) {
    throw invalid('column given seems to be invalid', { column_name: name, clause })
  }
  return { apiName: field.apiName, type: field.type as ColumnType }
}

/** The comparable form of a stored value: lower-cased text, ms, ids; null when empty. */
const stored = (row: CoqlRow, apiName: string, type: ColumnType): unknown => {
  const value = row[apiName]
  if (value === null || value === undefined || value === '') return null
  if (LOOKUP.includes(type) && typeof value === 'object') {
    return 'id' in value ? String(value.id) : null
  }
  if (type === 'datetime') return typeof value === 'string' ? parseZohoDateTime(value) : null
  if (TEXT.includes(type)) return String(value).toLowerCase()
  return value
}

/** The comparable form of a literal for a column of `type`, or undefined when it does not fit. */
const literal = (value: CoqlValue, type: ColumnType): unknown => {
  const text = value.kind === 'boolean' ? String(value.value) : value.text
  if (TEXT.includes(type)) return value.kind === 'string' ? text.toLowerCase() : undefined
  if (type === 'datetime')
    return value.kind === 'string' ? (parseZohoDateTime(text) ?? undefined) : undefined
  if (type === 'integer' || type === 'bigint') {
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined
  }
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined
  if (LOOKUP.includes(type)) return /^\d{1,20}$/.test(text) ? text : undefined
  return undefined
}

const likeTest = (pattern: string, negated: boolean, column: string) => {
  const starts = pattern.startsWith('%')
  const ends = pattern.endsWith('%') && pattern.length > 1
  const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined)
  if (negated && !(starts && ends)) {
    throw invalid('invalid query formed', {
      column_name: column,
      operator: 'not like',
      reason: "not like takes only '%value%'",
    })
  }
  return (value: string) => {
    if (starts && ends) return value.includes(core)
    if (starts) return value.endsWith(core)
    if (ends) return value.startsWith(core)
    return value === core
  }
}

type Test = (value: unknown) => boolean

const comparisonTest = (operator: CoqlOperator, wanted: readonly unknown[]): Test => {
  const [first, second] = wanted as [number, number]
  switch (operator) {
    case '=':
      return (value) => value === first
    case '!=':
      return (value) => value !== first
    case 'in':
      return (value) => wanted.includes(value)
    case 'not in':
      return (value) => !wanted.includes(value)
    case '>':
      return (value) => (value as number) > first
    case '>=':
      return (value) => (value as number) >= first
    case '<':
      return (value) => (value as number) < first
    case '<=':
      return (value) => (value as number) <= first
    case 'between':
      return (value) => (value as number) >= first && (value as number) <= second
    case 'not between':
      return (value) => (value as number) < first || (value as number) > second
    default:
      return () => false
  }
}

const conditionTest = (
  module: ModuleDef,
  condition: CoqlCondition,
  count: { criteria: number },
): ((row: CoqlRow) => boolean) => {
  if (condition.kind !== 'compare') {
    const left = conditionTest(module, condition.left, count)
    const right = conditionTest(module, condition.right, count)
    return condition.kind === 'and'
      ? (row) => left(row) && right(row)
      : (row) => left(row) || right(row)
  }
  count.criteria += 1
  if (count.criteria > coqlLimits.criteria) throw exceeded('criteria', coqlLimits.criteria)
  const { column, operator, values } = condition
  const { apiName, type } = columnOf(module, column, 'where')
  if (type === 'textarea') {
    throw invalid('data type not supported', { column_name: apiName, data_type: type })
  }
  if (!operatorsOf(type).includes(operator)) {
    throw invalid('invalid query formed', {
      column_name: apiName,
      operator,
      reason: 'invalid operator found',
    })
  }
  if (values.length > coqlLimits.inValues) throw exceeded('in', coqlLimits.inValues)
  const read = (row: CoqlRow) => stored(row, apiName, type)
  if (operator === 'is null') return (row) => read(row) === null
  if (operator === 'is not null') return (row) => read(row) !== null
  if (operator === 'like' || operator === 'not like') {
    const pattern = values[0]?.kind === 'string' ? values[0].text.toLowerCase() : ''
    const test = likeTest(pattern, operator === 'not like', apiName)
    return (row) => {
      const value = read(row)
      return typeof value === 'string' && test(value) === (operator === 'like')
    }
  }
  const wanted = values.map((value) => {
    const converted = literal(value, type)
    if (converted === undefined) {
      throw invalid('value given seems to be invalid for the column', {
        column_name: apiName,
        expected_data_type: type === 'id' ? 'bigint' : type,
      })
    }
    return converted
  })
  const test = comparisonTest(operator, wanted)
  return (row) => {
    const value = read(row)
    return value !== null && test(value)
  }
}

const ordering = (module: ModuleDef, orderBy: CoqlQuery['orderBy']) => {
  const keys = orderBy.map(({ column, descending }) => ({
    ...columnOf(module, column, 'order by'),
    sign: descending ? -1 : 1,
  }))
  return (a: CoqlRow, b: CoqlRow): number => {
    for (const { apiName, type, sign } of keys) {
      const left = stored(a, apiName, type)
      const right = stored(b, apiName, type)
      if (left === right) continue
      if (left === null) return 1
      if (right === null) return -1
      return (left as number) < (right as number) ? -sign : sign
    }
    return String(a['id']) < String(b['id']) ? -1 : 1
  }
}

/**
 * Checks `query`: the module, the columns, the criteria and the limits.
 * @example
 * ```ts
 * const parsed = parseCoql("select id from Calls where What_Id = '5725767000000100001'")
 * const check = parsed.ok ? checkCoql(parsed.query) : undefined
 * ```
 */
export const checkCoql = (query: CoqlQuery): CoqlCheck => {
  try {
    const module = recordModule(query.module)
    if (!module) {
      throw invalid('invalid query formed', {
        module: query.module,
        reason: 'invalid module given',
      })
    }
    if (query.columns.length > coqlLimits.columns) throw exceeded('select', coqlLimits.columns)
    const columns = query.columns.map((name) => columnOf(module, name, 'select').apiName)
    const twice = columns.find((name, index) => columns.indexOf(name) !== index)
    if (twice !== undefined) {
      throw new CoqlCheckError(
        zohoError('DUPLICATE_DATA', 'duplicate data', { column_name: twice }),
      )
    }
    const matches = conditionTest(module, query.where, { criteria: 0 })
    const limit = query.limit ?? coqlLimits.rows
    if (limit > coqlLimits.rows) throw exceeded('limit', coqlLimits.rows)
    if (limit < 1) throw invalid('invalid query formed', { clause: 'limit', limit })
    if (query.offset + limit > coqlLimits.reachable) throw exceeded('offset', coqlLimits.reachable)
    const compare = ordering(module, query.orderBy)
    return { ok: true, checked: { module, columns, matches, compare, limit, offset: query.offset } }
  } catch (error) {
    if (error instanceof CoqlCheckError) return { ok: false, error: error.body }
    throw error
  }
}
