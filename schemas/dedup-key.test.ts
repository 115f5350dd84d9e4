import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ringCentralDedupKey, sortedZohoIds, zohoDedupKey } from './dedup-key.ts'
import { zohoNotification } from './fixtures/zoho.ts'

describe('ringCentralDedupKey', () => {
  it('is rc: followed by the envelope uuid', () => {
    expect(ringCentralDedupKey({ uuid: '7719630154127011843' })).toBe('rc:7719630154127011843')
  })
})

describe('zohoDedupKey', () => {
  it('joins channel, operation, sorted ids and server time', () => {
    const n = zohoNotification({
      channel_id: '77',
      operation: 'update',
      ids: ['30', '4', '100'],
      server_time: 1772446500123,
    })
    expect(zohoDedupKey(n)).toBe('zoho:77:update:100,30,4:1772446500123')
  })

  it('does not depend on the order of ids', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.oneof(fc.stringMatching(/^\d{1,19}$/), fc.nat()), {
            minLength: 1,
            maxLength: 20,
          })
          .chain((ids) =>
            fc.tuple(
              fc.constant(ids),
              fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }),
            ),
          ),
        ([ids, permuted]) => {
          expect(zohoDedupKey(zohoNotification({ ids: permuted }))).toBe(
            zohoDedupKey(zohoNotification({ ids })),
          )
        },
      ),
    )
  })

  it('gives the same key whether ids, channel and time came as numbers or strings', () => {
    const asNumbers = zohoNotification({ ids: [12, 3], channel_id: 9, server_time: 1772446500123 })
    const asStrings = zohoNotification({
      ids: ['3', '12'],
      channel_id: '9',
      server_time: '1772446500123',
    })
    expect(zohoDedupKey(asNumbers)).toBe(zohoDedupKey(asStrings))
  })

  it('differs when the operation, the time or an id differs', () => {
    const base = zohoDedupKey(zohoNotification())
    expect(zohoDedupKey(zohoNotification({ operation: 'update' }))).not.toBe(base)
    expect(zohoDedupKey(zohoNotification({ server_time: 1772446500124 }))).not.toBe(base)
    expect(zohoDedupKey(zohoNotification({ ids: ['4876876000001234002'] }))).not.toBe(base)
  })
})

describe('sortedZohoIds', () => {
  it('sorts as strings, leaving the input untouched', () => {
    const ids = [20, '3', '100']
    expect(sortedZohoIds(ids)).toEqual(['100', '20', '3'])
    expect(ids).toEqual([20, '3', '100'])
  })
})
