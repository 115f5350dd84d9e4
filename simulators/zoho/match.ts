/**
 * @module simulators/zoho/match
 * How search matches a record. Pure.
 * - `phone=`: any phone field whose digits equal the value (stored `+1 (555) 010-2030` is found
 *   by `15550102030`, not by `5550102030`: an exact digit match, no suffix or country-code
 *   guessing).
 * - `email=`: any email field, case-insensitively equal.
 * - `word=`: any text-like field containing the word (case-insensitive, on word boundaries), or a
 *   phone field with those digits.
 * - `criteria`: `equals` on text behaves like "contains" on word boundaries, as Zoho documents
 *   (`(Company:equals:ABC)` also matches "ABC Inc"); on phone fields it is the exact digit
 *   match, on email case-insensitive equality; `starts_with`, `in`, `not_equal`, and
 *   `greater_*`/`less_*`/`between` on date-times and numbers.
 */
import type { CriteriaNode, Criterion } from './criteria.ts'
import { digitsOf, parseZohoDateTime } from './format.ts'
import { type FieldType, fieldOf, type ModuleDef } from './modules.ts'

/** A record as search sees it: indexed values plus the system values. */
export interface Searchable {
  readonly id: string
  readonly ownerId: string
  readonly createdAt: number
  readonly modifiedAt: number
  readonly values: Readonly<Record<string, unknown>>
}

const TEXT_LIKE: readonly FieldType[] = ['text', 'textarea', 'picklist', 'website', 'email']

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** `value` occurs in `text` as whole words, case-insensitively. */
export const containsWords = (text: string, value: string): boolean =>
  new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(value)}($|[^\\p{L}\\p{N}])`, 'iu').test(text)

export const phoneMatches = (stored: unknown, digits: string): boolean =>
  typeof stored === 'string' && digits.length > 0 && digitsOf(stored) === digits

const typeOf = (module: ModuleDef, field: string): FieldType | 'id' | undefined =>
  field === 'id' ? 'id' : fieldOf(module, field)?.type

/** The value of `field` for comparisons: ms for date-times, ids for lookups. */
const comparableValue = (record: Searchable, field: string, type: FieldType | 'id'): unknown => {
  if (field === 'id') return record.id
  if (field === 'Owner') return record.ownerId
  if (field === 'Created_Time') return record.createdAt
  if (field === 'Modified_Time') return record.modifiedAt
  const value = record.values[field]
  if (type === 'datetime' && typeof value === 'string') return parseZohoDateTime(value)
  if ((type === 'lookup' || type === 'multi_module_lookup') && typeof value === 'object') {
    return value !== null && 'id' in value ? String(value.id) : null
  }
  return value
}

/** Operators allowed per field type; anything else is INVALID_QUERY. */
export const operatorsFor = (type: FieldType | 'id'): readonly string[] => {
  switch (type) {
    case 'datetime':
    case 'integer':
    case 'bigint':
      return [
        'equals',
        'not_equal',
        'greater_equal',
        'greater_than',
        'less_equal',
        'less_than',
        'between',
        'in',
      ]
    case 'boolean':
      return ['equals', 'not_equal']
    case 'lookup':
    case 'ownerlookup':
    case 'multi_module_lookup':
    case 'id':
      return ['equals', 'not_equal', 'in']
    default:
      return ['equals', 'not_equal', 'starts_with', 'in']
  }
}

const equalsOne = (type: FieldType | 'id', stored: unknown, wanted: string): boolean => {
  if (stored === null || stored === undefined) return false
  if (type === 'phone') return phoneMatches(stored, digitsOf(wanted))
  if (type === 'email') return String(stored).toLowerCase() === wanted.toLowerCase()
  if (TEXT_LIKE.includes(type as FieldType)) return containsWords(String(stored), wanted)
  if (type === 'datetime') return stored === parseZohoDateTime(wanted)
  if (type === 'integer' || type === 'bigint') return stored === Number(wanted)
  return String(stored) === wanted
}

const compare = (stored: unknown, wanted: string, type: FieldType | 'id'): number | null => {
  const right = type === 'datetime' ? parseZohoDateTime(wanted) : Number(wanted)
  if (typeof stored !== 'number' || right === null || Number.isNaN(right)) return null
  return stored - right
}

const leafMatches = (module: ModuleDef, record: Searchable, criterion: Criterion): boolean => {
  const type = typeOf(module, criterion.field) ?? 'text'
  const stored = comparableValue(record, criterion.field, type)
  const [first = '', second = ''] = criterion.values
  switch (criterion.operator) {
    case 'equals':
      return equalsOne(type, stored, first)
    case 'not_equal':
      return !equalsOne(type, stored, first)
    case 'in':
      return criterion.values.some((value) => equalsOne(type, stored, value))
    case 'starts_with':
      if (typeof stored !== 'string') return false
      return type === 'phone'
        ? digitsOf(stored).startsWith(digitsOf(first))
        : stored.toLowerCase().startsWith(first.toLowerCase())
    case 'greater_equal':
      return (compare(stored, first, type) ?? -1) >= 0
    case 'greater_than':
      return (compare(stored, first, type) ?? -1) > 0
    case 'less_equal':
      return (compare(stored, first, type) ?? 1) <= 0
    case 'less_than':
      return (compare(stored, first, type) ?? 1) < 0
    case 'between':
      return (compare(stored, first, type) ?? -1) >= 0 && (compare(stored, second, type) ?? 1) <= 0
    default:
      return false
  }
}

export const criteriaMatches = (
  module: ModuleDef,
  record: Searchable,
  node: CriteriaNode,
): boolean => {
  if (node.kind === 'leaf') return leafMatches(module, record, node.criterion)
  return node.kind === 'and'
    ? node.children.every((child) => criteriaMatches(module, record, child))
    : node.children.some((child) => criteriaMatches(module, record, child))
}

/** The first criterion naming an unknown field or an operator its type does not take. */
export const criteriaProblem = (
  module: ModuleDef,
  node: CriteriaNode,
): { readonly criterion: Criterion; readonly unknownField: boolean } | null => {
  if (node.kind !== 'leaf') {
    for (const child of node.children) {
      const problem = criteriaProblem(module, child)
      if (problem) return problem
    }
    return null
  }
  const type = typeOf(module, node.criterion.field)
  if (!type) return { criterion: node.criterion, unknownField: true }
  return operatorsFor(type).includes(node.criterion.operator)
    ? null
    : { criterion: node.criterion, unknownField: false }
}

/** Text-like and phone fields a `word=` search looks in. */
export const wordMatches = (module: ModuleDef, record: Searchable, word: string): boolean =>
  module.fields.some((field) => {
    const stored = record.values[field.apiName]
    if (typeof stored !== 'string') return false
    if (field.type === 'phone') return phoneMatches(stored, digitsOf(word)) && /^\d+$/.test(word)
    return TEXT_LIKE.includes(field.type) && containsWords(stored, word)
  })
