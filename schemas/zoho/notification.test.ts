import { describe, expect, it } from 'vitest'
import { zohoNotification } from '../fixtures/zoho.ts'
import { parseZohoNotification, ZohoNotification, zohoEventKind } from './notification.ts'

describe('ZohoNotification', () => {
  it('accepts a callback with every documented key', () => {
    const input = zohoNotification({
      affected_fields: [{ id: '4876876000001234001', fields: ['Phone'] }],
    })
    expect(ZohoNotification.parse(input)).toEqual(input)
  })

  it('keeps server_time, ids and channel_id as sent, number or string', () => {
    const input = zohoNotification({
      server_time: '1772446500123',
      ids: [123, '456'],
      channel_id: 1000000068001,
    })
    const parsed = ZohoNotification.parse(input)
    expect(parsed.server_time).toBe('1772446500123')
    expect(parsed.ids).toEqual([123, '456'])
    expect(parsed.channel_id).toBe(1000000068001)
  })

  it('keeps unknown keys', () => {
    const input = { ...zohoNotification(), org_id: '60001', nested: { a: [1, 2] } }
    expect(ZohoNotification.parse(input)).toEqual(input)
  })

  it('accepts operations it does not know and a callback without token, resource_uri or query_params', () => {
    const input = zohoNotification({
      operation: 'restore',
      token: undefined,
      resource_uri: undefined,
      query_params: undefined,
      affected_fields: undefined,
    })
    expect(Object.keys(input)).toEqual(['server_time', 'module', 'operation', 'ids', 'channel_id'])
    expect(ZohoNotification.safeParse(input).success).toBe(true)
  })

  it('rejects empty ids, a non-numeric server_time, a token over 50 characters, or a missing module', () => {
    expect(ZohoNotification.safeParse(zohoNotification({ ids: [] })).success).toBe(false)
    expect(
      ZohoNotification.safeParse(zohoNotification({ server_time: '2026-03-02' })).success,
    ).toBe(false)
    expect(ZohoNotification.safeParse(zohoNotification({ token: 'x'.repeat(51) })).success).toBe(
      false,
    )
    expect(ZohoNotification.safeParse(zohoNotification({ module: undefined })).success).toBe(false)
  })

  it('rejects a numeric id beyond 2^53, whose value JSON.parse has already corrupted', () => {
    const json = JSON.parse(
      '{"server_time":1,"module":"Leads","operation":"insert","ids":[4876876000001234001],"channel_id":"1"}',
    )
    expect(ZohoNotification.safeParse(json).success).toBe(false)
  })
})

describe('parseZohoNotification', () => {
  it('returns the notification and its <module>.<operation> kind', () => {
    const input = zohoNotification({ module: 'Contacts', operation: 'update' })
    expect(parseZohoNotification(input)).toEqual({
      ok: true,
      kind: 'Contacts.update',
      notification: input,
    })
    expect(zohoEventKind(input)).toBe('Contacts.update')
  })

  it('reports every problem on one readable line', () => {
    const result = parseZohoNotification({ ...zohoNotification(), ids: [], channel_id: null })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error).toMatch(/^invalid Zoho notification: /)
      expect(result.error).toContain('ids: ')
      expect(result.error).toContain('; channel_id: ')
      expect(result.error).not.toContain('\n')
    }
  })

  it('rejects JSON that is not an object', () => {
    expect(parseZohoNotification([])).toMatchObject({
      ok: false,
      error: expect.stringContaining('(root): '),
    })
  })
})
