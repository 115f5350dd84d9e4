import { describe, expect, it } from 'vitest'
import { leadNameOf } from './caller-name.ts'

const number = '+14155550100'

describe('leadNameOf', () => {
  it('splits a name into first names and a last name', () => {
    expect(leadNameOf('Mary Ann Lee', number)).toEqual({ firstName: 'Mary Ann', lastName: 'Lee' })
  })

  it('reads "LAST, FIRST" caller ids and title-cases upper-case ones', () => {
    expect(leadNameOf('SMITH, JOHN', number)).toEqual({ firstName: 'John', lastName: 'Smith' })
    expect(leadNameOf("O'BRIEN-KELLY, ANNE", number)).toEqual({
      firstName: 'Anne',
      lastName: "O'Brien-Kelly",
    })
  })

  it('keeps a single word as the last name and mixed case as given', () => {
    expect(leadNameOf('McDonald', number)).toEqual({ lastName: 'McDonald' })
  })

  it('falls back to "Unknown caller <number>" for placeholders, numbers and no caller id', () => {
    for (const callerId of [undefined, '', '  ', 'WIRELESS CALLER', 'Unknown', '+1 415 555 0100']) {
      expect(leadNameOf(callerId, number)).toEqual({ lastName: `Unknown caller ${number}` })
    }
  })

  it("cuts names to Zoho's field lengths", () => {
    const name = leadNameOf(`${'F'.repeat(60)} ${'L'.repeat(100)}`, number)
    expect(name.firstName).toHaveLength(40)
    expect(name.lastName).toHaveLength(80)
  })
})
