import { describe, expect, it } from 'vitest'
import { lexCoql } from './coql-lex.ts'
import { parseCoql } from './coql-parse.ts'

const parsed = (query: string) => {
  const result = parseCoql(query)
  if (!result.ok) throw new Error(`expected ${query} to parse: ${JSON.stringify(result.details)}`)
  return result.query
}
const problem = (query: string) => {
  const result = parseCoql(query)
  if (result.ok) throw new Error(`expected ${query} to fail`)
  return result.details
}

describe('COQL lexer', () => {
  it('reads quoted strings with doubled quotes as one value, in single or double quotes', () => {
    const tokens = lexCoql(`Designation = '1'' 2' or Title = "say ""hi"""`)
    expect(Array.isArray(tokens) && tokens.map((token) => [token.kind, token.text])).toEqual([
      ['word', 'Designation'],
      ['symbol', '='],
      ['string', "1' 2"],
      ['word', 'or'],
      ['word', 'Title'],
      ['symbol', '='],
      ['string', 'say "hi"'],
      ['end', ''],
    ])
  })

  it('reports an unterminated string or an unknown character with its position', () => {
    expect(lexCoql("select id from Leads where Last_Name = 'open")).toMatchObject({ at: 39 })
    expect(lexCoql('select id # from Leads')).toEqual({ at: 10, near: '#' })
  })
})

describe('COQL parser', () => {
  it('parses columns, module, a bracketed pair of conditions, order, limit and offset', () => {
    expect(
      parsed(
        "SELECT id, Description FROM Calls WHERE (What_Id = '5725767000000100001' and Call_Start_Time = '2026-03-02T10:15:00+00:00') ORDER BY Created_Time desc, Subject LIMIT 5 OFFSET 10",
      ),
    ).toEqual({
      columns: ['id', 'Description'],
      module: 'Calls',
      where: {
        kind: 'and',
        left: {
          kind: 'compare',
          column: 'What_Id',
          operator: '=',
          values: [{ kind: 'string', text: '5725767000000100001' }],
        },
        right: {
          kind: 'compare',
          column: 'Call_Start_Time',
          operator: '=',
          values: [{ kind: 'string', text: '2026-03-02T10:15:00+00:00' }],
        },
      },
      orderBy: [
        { column: 'Created_Time', descending: true },
        { column: 'Subject', descending: false },
      ],
      limit: 5,
      offset: 10,
    })
  })

  it('reads every comparator: like, not like, in, not in, between, not between, is (not) null', () => {
    const where = parsed(
      "select id from Leads where ((Last_Name like 'Bo%' and Email not like '%spam%') or ((Lead_Source in ('Cold Call', 'Advertisement') and Lead_Status not in ('Contacted')) or ((Created_Time between '2026-01-01T00:00:00+00:00' and '2026-12-31T00:00:00+00:00' and Modified_Time not between '2026-01-01T00:00:00+00:00' and '2026-02-01T00:00:00+00:00') and (Phone is null or Mobile is not null))))",
    ).where
    const operators: string[] = []
    const walk = (node: typeof where): void => {
      if (node.kind === 'compare') operators.push(node.operator)
      else {
        walk(node.left)
        walk(node.right)
      }
    }
    walk(where)
    expect(operators).toEqual([
      'like',
      'not like',
      'in',
      'not in',
      'between',
      'not between',
      'is null',
      'is not null',
    ])
  })

  it('takes numbers, booleans, quoted column names and the `limit offset, count` form', () => {
    expect(
      parsed(
        "select 'External', Last_Name from Leads where Converted__s = false and Call_Duration_in_seconds >= 60 limit 400, 200",
      ),
    ).toMatchObject({
      columns: ['External', 'Last_Name'],
      where: {
        kind: 'and',
        left: { values: [{ kind: 'boolean', value: false }] },
        right: { operator: '>=', values: [{ kind: 'number', text: '60' }] },
      },
      limit: 200,
      offset: 400,
    })
  })

  it('requires brackets around a third condition at one level', () => {
    expect(
      problem(
        'select id from Contacts where id is not null and Account_Name is not null and Title is not null',
      ),
    ).toEqual({ clause: 'where' })
    expect(
      parsed(
        'select id from Contacts where ((id is not null and Account_Name is not null) and Title is not null)',
      ).where,
    ).toMatchObject({ kind: 'and', left: { kind: 'and' }, right: { kind: 'compare' } })
  })

  it('requires a WHERE clause', () => {
    expect(problem('select id from Leads')).toEqual({ clause: 'where' })
    expect(problem('select id from Leads limit 5')).toMatchObject({ near: 'limit' })
  })

  it('reports a syntax error with its line, column and the text near it', () => {
    expect(problem('select * from Leads where id is not null')).toEqual({
      line: 1,
      column: 8,
      near: '*',
    })
    expect(problem('select id from Leads\nwhere Last_Name = = 1')).toEqual({
      line: 2,
      column: 19,
      near: '=',
    })
    expect(problem('select id from Leads where Last_Name is null limit 5 junk')).toMatchObject({
      near: 'junk',
    })
    expect(problem('update Leads set Last_Name = 1')).toMatchObject({ near: 'update' })
    expect(problem('select id, from from Leads where id is not null')).toMatchObject({
      near: 'from',
    })
  })
})
