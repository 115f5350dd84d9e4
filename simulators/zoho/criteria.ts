/**
 * @module simulators/zoho/criteria
 * Parses the Search API's `criteria`: `(({field}:{operator}:{value})and/or(…))`, or one bare
 * `field:operator:value`. In values, `\(`, `\)`, `\,` and `\\` are escapes; `in` and `between`
 * take comma-separated values. Pure: returns a tree or a reason.
 */

export interface Criterion {
  readonly field: string
  readonly operator: string
  readonly values: readonly string[]
}

export type CriteriaNode =
  | { readonly kind: 'leaf'; readonly criterion: Criterion }
  | { readonly kind: 'and' | 'or'; readonly children: readonly CriteriaNode[] }

export type CriteriaParse =
  | { readonly ok: true; readonly node: CriteriaNode; readonly count: number }
  | { readonly ok: false; readonly reason: string }

class CriteriaSyntaxError extends Error {}

const splitValues = (raw: string): string[] => {
  const values: string[] = []
  let current = ''
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]
    if (char === '\\' && i + 1 < raw.length) {
      current += raw[++i]
    } else if (char === ',') {
      values.push(current)
      current = ''
    } else {
      current += char
    }
  }
  values.push(current)
  return values
}

const unescapeValue = (raw: string): string => raw.replace(/\\(.)/g, '$1')

const leaf = (text: string): CriteriaNode => {
  const first = text.indexOf(':')
  const second = first < 0 ? -1 : text.indexOf(':', first + 1)
  if (first <= 0 || second < 0) throw new CriteriaSyntaxError(`not field:operator:value: ${text}`)
  const field = text.slice(0, first).trim()
  const operator = text
    .slice(first + 1, second)
    .trim()
    .toLowerCase()
  const raw = text.slice(second + 1)
  const values = ['in', 'between'].includes(operator) ? splitValues(raw) : [unescapeValue(raw)]
  return { kind: 'leaf', criterion: { field, operator, values } }
}

/** Parses `criteria`; counts its criteria for the limit. */
export const parseCriteria = (input: string): CriteriaParse => {
  const text = input.trim()
  let pos = 0
  let count = 0
  const skipSpace = () => {
    while (text[pos] === ' ') pos++
  }
  const term = (): CriteriaNode => {
    skipSpace()
    if (text[pos] !== '(') throw new CriteriaSyntaxError(`expected ( at ${pos}`)
    pos++
    skipSpace()
    if (text[pos] === '(') {
      const inner = expression()
      skipSpace()
      if (text[pos] !== ')') throw new CriteriaSyntaxError(`expected ) at ${pos}`)
      pos++
      return inner
    }
    let body = ''
    while (pos < text.length && text[pos] !== ')') {
      if (text[pos] === '\\' && pos + 1 < text.length) body += text[pos++]
      body += text[pos++]
    }
    if (text[pos] !== ')') throw new CriteriaSyntaxError('unclosed (')
    pos++
    count++
    return leaf(body)
  }
  const expression = (): CriteriaNode => {
    let node = term()
    for (;;) {
      skipSpace()
      const operator = /^(and|or)/i.exec(text.slice(pos))?.[1]?.toLowerCase()
      if (operator !== 'and' && operator !== 'or') return node
      pos += operator.length
      const right = term()
      node =
        node.kind === operator
          ? { kind: operator, children: [...node.children, right] }
          : { kind: operator, children: [node, right] }
    }
  }
  try {
    if (!text.startsWith('(')) return { ok: true, node: leaf(text), count: 1 }
    const node = expression()
    skipSpace()
    if (pos !== text.length) throw new CriteriaSyntaxError(`unexpected text at ${pos}`)
    return { ok: true, node, count }
  } catch (error) {
    if (error instanceof CriteriaSyntaxError) return { ok: false, reason: error.message }
    throw error
  }
}
