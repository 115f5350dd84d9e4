/**
 * @module simulators/zoho/coql-lex
 * Splits a COQL `select_query` into tokens. Pure. Words (keywords and field names, `$` and `_`
 * allowed), numbers, strings in single or double quotes (a quote is escaped by doubling it:
 * `'1'' 2'`, Kaizen #171), and the symbols `( ) , ; * = != > >= < <=`. Anything else is a
 * syntax error at its position.
 */

/** One token; `at` is its 0-based position in the query. */
export type CoqlToken =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'number'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'symbol'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly text: ''; readonly at: number }

/** A position that could not be read, with the text around it. */
export interface CoqlLexError {
  readonly at: number
  readonly near: string
}

const SYMBOLS = ['!=', '>=', '<=', '(', ')', ',', ';', '*', '=', '>', '<'] as const
const WORD = /^[A-Za-z_$][A-Za-z0-9_$]*/
const NUMBER = /^-?\d+(\.\d+)?(?![A-Za-z0-9_$])/

/** The text at `at`, as Zoho's `details.near` shows it (the next few characters). */
export const nearText = (query: string, at: number): string =>
  query.slice(at, at + 20).split(/\s/)[0] || query.slice(Math.max(0, at - 10), at)

const quoted = (query: string, start: number): { text: string; end: number } | null => {
  const quote = query[start]
  let text = ''
  let i = start + 1
  while (i < query.length) {
    if (query[i] === quote) {
      if (query[i + 1] === quote) {
        text += quote
        i += 2
        continue
      }
      return { text, end: i + 1 }
    }
    text += query[i]
    i += 1
  }
  return null
}

/**
 * Tokenizes `query`; the last token is always `end`.
 * @example
 * ```ts
 * lexCoql("select id from Calls where Subject = 'a'") // word select, word id, …, string a, end
 * ```
 */
export const lexCoql = (query: string): CoqlToken[] | CoqlLexError => {
  const tokens: CoqlToken[] = []
  let at = 0
  while (at < query.length) {
    const char = query[at] ?? ''
    if (/\s/.test(char)) {
      at += 1
      continue
    }
    const rest = query.slice(at)
    if (char === "'" || char === '"') {
      const string = quoted(query, at)
      if (!string) return { at, near: nearText(query, at) }
      tokens.push({ kind: 'string', text: string.text, at })
      at = string.end
      continue
    }
    const number = NUMBER.exec(rest)?.[0]
    if (number) {
      tokens.push({ kind: 'number', text: number, at })
      at += number.length
      continue
    }
    const word = WORD.exec(rest)?.[0]
    if (word) {
      tokens.push({ kind: 'word', text: word, at })
      at += word.length
      continue
    }
    const symbol = SYMBOLS.find((candidate) => rest.startsWith(candidate))
    if (!symbol) return { at, near: nearText(query, at) }
    tokens.push({ kind: 'symbol', text: symbol, at })
    at += symbol.length
  }
  tokens.push({ kind: 'end', text: '', at: query.length })
  return tokens
}
