import { describe, expect, it } from 'vitest'
import { ZohoApiError } from './errors.ts'
import {
  checkRegion,
  chooseBestMatch,
  normalizePhone,
  phoneMatchQuality,
  phoneSearchVariants,
} from './phone.ts'

const US = checkRegion('US')
const GB = checkRegion('gb')

describe('normalizePhone', () => {
  it('reads E.164 and national numbers in the default region to the same E.164', () => {
    for (const text of ['+14155550123', '(415) 555-0123', '415.555.0123', '+1 415 555 0123']) {
      expect(normalizePhone(text, US).e164).toBe('+14155550123')
    }
    expect(normalizePhone('020 7946 0958', GB).e164).toBe('+442079460958')
  })

  it('keeps possible numbers outside known ranges, marked not valid', () => {
    const phone = normalizePhone('+15555550123', US)
    expect(phone).toMatchObject({ e164: '+15555550123', valid: false })
  })

  it('rejects text that cannot be a phone number with INVALID_INPUT', () => {
    for (const text of ['', '12', 'call me', '+1 415']) {
      expect(() => normalizePhone(text, US)).toThrow(ZohoApiError)
    }
    try {
      normalizePhone('abc', US)
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { api_name: 'phone' } })
    }
  })

  it('refuses an unknown default region', () => {
    expect(() => checkRegion('XX')).toThrow(RangeError)
  })
})

describe('phoneSearchVariants', () => {
  it('gives international digits, then national digits for a US number', () => {
    expect(phoneSearchVariants(normalizePhone('+14155550123', US), US)).toEqual([
      '14155550123',
      '4155550123',
    ])
  })

  it('adds the national form with trunk prefix where a country has one', () => {
    expect(phoneSearchVariants(normalizePhone('+442079460958', US), US)).toEqual([
      '442079460958',
      '02079460958',
      '2079460958',
    ])
    expect(phoneSearchVariants(normalizePhone('+4930123456', US), US)).toEqual([
      '4930123456',
      '030123456',
      '30123456',
    ])
  })

  it('keeps a leading zero that is part of the number (Italy)', () => {
    expect(phoneSearchVariants(normalizePhone('+390612345678', US), US)).toEqual([
      '390612345678',
      '0612345678',
    ])
  })

  it('never sends special characters or fewer than two characters', () => {
    for (const text of ['+14155550123', '+442079460958', '+74951234567', '+61212345678']) {
      for (const variant of phoneSearchVariants(normalizePhone(text, US), US)) {
        expect(variant).toMatch(/^\d{2,}$/)
      }
    }
  })
})

describe('phoneMatchQuality', () => {
  const caller = normalizePhone('+14155550123', US)

  it('ranks the same number in any notation highest', () => {
    for (const stored of ['+1 (415) 555-0123', '415-555-0123', '14155550123']) {
      expect(phoneMatchQuality(stored, caller, US)).toBe(3)
    }
  })

  it('ranks digit-equal and suffix matches below, and others zero', () => {
    const uk = normalizePhone('+442079460958', US)
    expect(phoneMatchQuality('02079460958', uk, US)).toBe(2)
    expect(phoneMatchQuality('001 415 555 0123 ext', caller, US)).toBe(1)
    expect(phoneMatchQuality('+1 415 555 9999', caller, US)).toBe(0)
    expect(phoneMatchQuality('-', caller, US)).toBe(0)
  })
})

describe('chooseBestMatch', () => {
  const caller = normalizePhone('+14155550123', US)

  it('prefers the better match, then Phone over Mobile over Fax, then the oldest, then the smallest id', () => {
    const records = [
      { id: '30', Fax: '+14155550123', Created_Time: '2020-01-01T00:00:00+00:00' },
      { id: '20', Mobile: '+14155550123', Created_Time: '2021-01-01T00:00:00+00:00' },
      { id: '12', Phone: '+14155550123', Created_Time: '2022-01-01T00:00:00+00:00' },
      { id: '11', Phone: '+14155550123', Created_Time: '2022-01-01T00:00:00+00:00' },
      { id: '9', Phone: '+14155550123', Created_Time: '2023-01-01T00:00:00+00:00' },
      { id: '1', Phone: '001 415 555 0123 ext' },
    ]
    const best = chooseBestMatch(records, caller, US)
    expect(best?.record.id).toBe('11')
    expect(best?.match).toMatchObject({ quality: 3, field: 'Phone' })
    expect(chooseBestMatch(records.slice(0, 2), caller, US)?.record.id).toBe('20')
  })

  it('gives the same answer whatever order Zoho returns the records in', () => {
    const records = [
      { id: '100000000000000002', Phone: '4155550123' },
      { id: '99999999999999999', Phone: '4155550123' },
      { id: '100000000000000001', Mobile: '(415) 555-0123' },
    ]
    const ids = [records, [...records].reverse()].map(
      (list) => chooseBestMatch(list, caller, US)?.record.id,
    )
    expect(ids).toEqual(['99999999999999999', '99999999999999999'])
  })

  it('still returns what Zoho matched when no stored value can be verified', () => {
    expect(chooseBestMatch([{ id: '5', Phone: null }], caller, US)?.record.id).toBe('5')
    expect(chooseBestMatch([], caller, US)).toBeNull()
  })
})
