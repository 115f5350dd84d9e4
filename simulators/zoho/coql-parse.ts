/**
 * @module simulators/zoho/coql-parse
 * Parses a COQL `select_query` into a query tree. Pure; checks syntax only (fields, types and
 * limits are checked against the module in ./coql-check.ts). The grammar, keywords
 * case-insensitive:
 *
 *   select <column> {, <column>} from <module> where <condition>
 *     [order by <column> [asc|desc] {, …}] [limit <n> [offset <m>] | limit <m>, <n>]
 *
 * - A condition is a comparison, or two conditions joined by `and`/`or`, or a bracketed
 *   condition. A third condition at the same level must be bracketed (`((A and B) and C)`), as
 *   Zoho requires; otherwise SYNTAX_ERROR `{clause: 'where'}`.
 * - Comparisons: `= != > >= < <=` with a value; `[not] like '<pattern>'`; `[not] in (v, …)`;
 *   `[not] between v and v`; `is [not] null`.
 * - Values: quoted strings, numbers, `true`, `false`. Columns may be quoted (`'External'`) to use
 *   a reserved word.
 * - WHERE is mandatory (older docs and third-party guides say so; UNCONFIRMED for v8).
 * A syntax error is reported the way Zoho does: `{line, column, near}` or `{clause}`.
 */
import { type CoqlToken, lexCoql, nearText } from './coql-lex.ts'

/** A literal in a condition. */
export type CoqlValue =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }

export type CoqlOperator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'like'
  | 'not like'
  | 'in'
  | 'not in'
  | 'between'
  | 'not between'
  | 'is null'
  | 'is not null'

export type CoqlCondition =
  | {
      readonly kind: 'and' | 'or'
      readonly left: CoqlCondition
      readonly right: CoqlCondition
    }
  | {
      readonly kind: 'compare'
      readonly column: string
      readonly operator: CoqlOperator
      readonly values: readonly CoqlValue[]
    }

export interface CoqlQuery {
  readonly columns: readonly string[]
  readonly module: string
  readonly where: CoqlCondition
  readonly orderBy: readonly { readonly column: string; readonly descending: boolean }[]
  /** Absent: Zoho's default (200). */
  readonly limit: number | undefined
  readonly offset: number
}

/** `details` of a SYNTAX_ERROR (OAS `coql.json` `Clause_Details` / `Parse_Error_Details`). */
export type CoqlSyntaxDetails =
  | { readonly clause: string }
  | { readonly line: number; readonly column: number; readonly near: string }

export type CoqlParse =
  | { readonly ok: true; readonly query: CoqlQuery }
  | { readonly ok: false; readonly details: CoqlSyntaxDetails }

const KEYWORDS = new Set(
  'select from where and or not like in is null between limit offset order by asc desc true false group having'.split(
    ' ',
  ),
)
const COMPARISONS = new Set(['=', '!=', '>', '>=', '<', '<='])

class CoqlSyntaxError extends Error {
  readonly details: CoqlSyntaxDetails
  constructor(details: CoqlSyntaxDetails) {
    super('coql syntax error')
    this.details = details
  }
}

const positionOf = (query: string, at: number) => {
  const before = query.slice(0, at).split('\n')
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 }
}

/**
 * Parses `select_query`.
 * @example
 * ```ts
 * parseCoql("select id from Calls where (What_Id = '1' and Call_Type = 'Inbound') limit 5")
 * ```
 */
export const parseCoql = (query: string): CoqlParse => {
  const lexed = lexCoql(query)
  if (!Array.isArray(lexed)) {
    return { ok: false, details: { ...positionOf(query, lexed.at), near: lexed.near } }
  }
  const tokens = lexed
  let i = 0
  const peek = (): CoqlToken => tokens[i] ?? { kind: 'end', text: '', at: query.length }
  const fail = (token: CoqlToken = peek()): never => {
    throw new CoqlSyntaxError({
      ...positionOf(query, token.at),
      near: token.kind === 'end' ? nearText(query, token.at) : token.text,
    })
  }
  const isWord = (token: CoqlToken, word: string) =>
    token.kind === 'word' && token.text.toLowerCase() === word
  const accept = (word: string): boolean => {
    if (!isWord(peek(), word)) return false
    i += 1
    return true
  }
  const expectWord = (word: string) => {
    if (!accept(word)) fail()
  }
  const expectSymbol = (symbol: string) => {
    const token = peek()
    if (token.kind !== 'symbol' || token.text !== symbol) fail(token)
    i += 1
  }
  const acceptSymbol = (symbol: string): boolean => {
    const token = peek()
    if (token.kind !== 'symbol' || token.text !== symbol) return false
    i += 1
    return true
  }
  const name = (): string => {
    const token = peek()
    const plainWord = token.kind === 'word' && !KEYWORDS.has(token.text.toLowerCase())
    if (!plainWord && token.kind !== 'string') fail(token)
    i += 1
    return token.text
  }
  const integer = (): number => {
    const token = peek()
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) fail(token)
    i += 1
    return Number(token.text)
  }
  const value = (): CoqlValue => {
    const token = peek()
    i += 1
    if (token.kind === 'string') return { kind: 'string', text: token.text }
    if (token.kind === 'number') return { kind: 'number', text: token.text }
    if (isWord(token, 'true') || isWord(token, 'false')) {
      return { kind: 'boolean', value: isWord(token, 'true') }
    }
    return fail(token)
  }

  const comparison = (): CoqlCondition => {
    const column = name()
    const token = peek()
    const compare = (operator: CoqlOperator, values: CoqlValue[]): CoqlCondition => ({
      kind: 'compare',
      column,
      operator,
      values,
    })
    if (token.kind === 'symbol' && COMPARISONS.has(token.text)) {
      i += 1
      return compare(token.text as CoqlOperator, [value()])
    }
    if (accept('is')) {
      const negated = accept('not')
      expectWord('null')
      return compare(negated ? 'is not null' : 'is null', [])
    }
    const negated = accept('not')
    if (accept('like')) {
      const pattern = peek()
      if (pattern.kind !== 'string') fail(pattern)
      return compare(negated ? 'not like' : 'like', [value()])
    }
    if (accept('in')) {
      expectSymbol('(')
      const values = [value()]
      while (acceptSymbol(',')) values.push(value())
      expectSymbol(')')
      return compare(negated ? 'not in' : 'in', values)
    }
    if (accept('between')) {
      const low = value()
      expectWord('and')
      return compare(negated ? 'not between' : 'between', [low, value()])
    }
    return fail(token)
  }

  const unit = (): CoqlCondition => {
    if (!acceptSymbol('(')) return comparison()
    const inner = condition()
    expectSymbol(')')
    return inner
  }

  function condition(): CoqlCondition {
    const left = unit()
    const joiner = peek()
    if (!isWord(joiner, 'and') && !isWord(joiner, 'or')) return left
    i += 1
    const right = unit()
    if (isWord(peek(), 'and') || isWord(peek(), 'or')) {
      // A third condition at one level is ambiguous: Zoho wants brackets.
      throw new CoqlSyntaxError({ clause: 'where' })
    }
    return { kind: joiner.text.toLowerCase() as 'and' | 'or', left, right }
  }

  const limits = (): { limit: number | undefined; offset: number } => {
    if (!accept('limit')) return { limit: undefined, offset: 0 }
    const first = integer()
    if (acceptSymbol(',')) return { offset: first, limit: integer() }
    return { limit: first, offset: accept('offset') ? integer() : 0 }
  }

  try {
    expectWord('select')
    const columns = [name()]
    while (acceptSymbol(',')) columns.push(name())
    expectWord('from')
    const module = name()
    if (peek().kind === 'end') throw new CoqlSyntaxError({ clause: 'where' })
    expectWord('where')
    const where = condition()
    const orderBy: { column: string; descending: boolean }[] = []
    if (accept('order')) {
      expectWord('by')
      do {
        const column = name()
        const descending = accept('desc')
        if (!descending) accept('asc')
        orderBy.push({ column, descending })
      } while (acceptSymbol(','))
    }
    const { limit, offset } = limits()
    if (peek().kind !== 'end') fail()
    return { ok: true, query: { columns, module, where, orderBy, limit, offset } }
  } catch (error) {
    if (error instanceof CoqlSyntaxError) return { ok: false, details: error.details }
    throw error
  }
}
