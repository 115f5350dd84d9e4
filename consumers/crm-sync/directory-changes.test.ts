import { describe, expect, it } from 'vitest'
import { directoryActionOf } from './directory-changes.ts'

const notification = (operation: string, module = 'Leads', affected?: unknown) => ({
  module,
  operation,
  ids: ['4876876000000000001', '4876876000000000001'],
  ...(affected === undefined ? {} : { affected_fields: affected }),
})

describe('directoryActionOf', () => {
  it('forgets deleted records without reading them', () => {
    expect(directoryActionOf(notification('delete'))).toEqual({
      kind: 'forget',
      module: 'Leads',
      ids: ['4876876000000000001'],
    })
  })

  it('reads back inserted and updated records, and any operation it does not know', () => {
    for (const operation of ['insert', 'update', 'merge']) {
      expect(directoryActionOf(notification(operation, 'Contacts'))).toMatchObject({
        kind: 'refresh',
        module: 'Contacts',
      })
    }
    const phone = [{ '4876876000000000001': { Mobile: '(415) 555-0140' } }]
    expect(directoryActionOf(notification('update', 'Leads', phone)).kind).toBe('refresh')
  })

  it('reads nothing for an edit of other fields, a new record without a number, or another module', () => {
    const status = [{ '4876876000000000001': { Lead_Status: 'Contacted' } }]
    expect(directoryActionOf(notification('update', 'Leads', status))).toMatchObject({
      kind: 'ignore',
      reason: 'no cached field changed',
    })
    const named = [{ '4876876000000000001': { Last_Name: 'New' } }]
    expect(directoryActionOf(notification('insert', 'Leads', named)).kind).toBe('ignore')
    expect(directoryActionOf(notification('update', 'Deals')).kind).toBe('ignore')
  })
})
