import { describe, expect, it } from 'vitest'
import type { CrmPersonPhones } from '../../integrations/crm/port.ts'
import { planDirectory, rankOf, unrankedOf } from './directory-rank.ts'

const person = (
  module: CrmPersonPhones['module'],
  id: string,
  phones: [string, number][],
  createdAt?: number,
): CrmPersonPhones => ({
  module,
  id,
  phones: phones.map(([e164, preference]) => ({ e164, field: 'Phone', preference })),
  unreadable: 0,
  ...(createdAt === undefined ? {} : { createdAt }),
})

const winnerOf = (people: CrmPersonPhones[], e164: string) =>
  [...planDirectory(people).won].find(([, won]) => won.some((n) => n.e164 === e164))?.[0].id

describe('who gets a shared number', () => {
  it('a lead before a contact, then the better field, then the older record, then the smaller id', () => {
    const x = '+14155550100'
    expect(
      winnerOf([person('Contacts', 'c', [[x, 0]], 1), person('Leads', 'l', [[x, 9]], 2)], x),
    ).toBe('l')
    expect(
      winnerOf([person('Leads', 'a', [[x, 1]], 1), person('Leads', 'b', [[x, 0]], 2)], x),
    ).toBe('b')
    expect(
      winnerOf([person('Leads', 'a', [[x, 0]], 2), person('Leads', 'b', [[x, 0]], 1)], x),
    ).toBe('b')
    expect(winnerOf([person('Leads', '12', [[x, 0]]), person('Leads', '9', [[x, 0]])], x)).toBe('9')
  })

  it('counts distinct and shared numbers', () => {
    const plan = planDirectory([
      person('Leads', 'l', [
        ['+1', 0],
        ['+2', 1],
      ]),
      person('Contacts', 'c', [['+2', 0]]),
    ])
    expect(plan).toMatchObject({ numbers: 2, shared: 1 })
  })

  it("ranks an entry the lead-matcher wrote after the directory's entries of its module", () => {
    const lead = rankOf(person('Leads', 'l', []), { e164: '+1', field: 'Fax', preference: 9 })
    const contact = rankOf(person('Contacts', 'c', [], 0), {
      e164: '+1',
      field: 'Phone',
      preference: 0,
    })
    expect(lead < unrankedOf('Leads')).toBe(true)
    expect(unrankedOf('Leads') < contact).toBe(true)
    expect(unrankedOf('Contacts') > contact).toBe(true)
  })
})
