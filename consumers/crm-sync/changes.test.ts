import { describe, expect, it } from 'vitest'
import { cacheChangesOf } from './changes.ts'

const notification = (operation: string, affected?: unknown) => ({
  module: 'Leads',
  operation,
  ids: ['4876876000000000001'],
  ...(affected === undefined ? {} : { affected_fields: affected }),
})

describe('cacheChangesOf', () => {
  it('forgets a deleted record, and an updated one whose changes are not reported', () => {
    for (const operation of ['delete', 'update', 'merge']) {
      expect(cacheChangesOf(notification(operation), 'US').changes).toEqual([
        { kind: 'forget-person', module: 'Leads', id: '4876876000000000001' },
      ])
    }
  })

  it("forgets an updated record's old and new numbers when a phone changed", () => {
    const affected = [{ '4876876000000000001': { Mobile: '(415) 555-0140' } }]
    expect(cacheChangesOf(notification('update', affected), 'US').changes).toEqual([
      { kind: 'forget-person', module: 'Leads', id: '4876876000000000001' },
      { kind: 'forget-number', e164: '+14155550140', unlessId: '4876876000000000001' },
    ])
  })

  it('ignores an update that touches no cached field, and other modules', () => {
    const affected = [{ '4876876000000000001': { Lead_Status: 'Contacted' } }]
    expect(cacheChangesOf(notification('update', affected), 'US')).toMatchObject({
      changes: [],
      ignored: 'no cached field changed',
    })
    expect(cacheChangesOf({ ...notification('update'), module: 'Deals' }, 'US').changes).toEqual([])
  })

  it("forgets a new record's numbers when they are cached for someone else", () => {
    const affected = [{ '4876876000000000001': { Last_Name: 'New', Phone: '+44 20 7946 0958' } }]
    expect(cacheChangesOf(notification('insert', affected), 'US').changes).toEqual([
      { kind: 'forget-number', e164: '+442079460958', unlessId: '4876876000000000001' },
    ])
  })
})
