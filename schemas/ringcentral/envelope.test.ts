import { describe, expect, it } from 'vitest'
import { genericNotification } from '../fixtures/ringcentral.ts'
import { RingCentralEnvelope } from './envelope.ts'

describe('RingCentralEnvelope', () => {
  it('accepts an envelope with every documented field', () => {
    const input = genericNotification()
    expect(RingCentralEnvelope.parse(input)).toEqual(input)
  })

  it('keeps unknown top-level and body fields', () => {
    const input = genericNotification({
      extra: { deliveryAttempt: 2, meta: { region: 'us-east' } },
      body: { presenceStatus: 'Busy', brandNew: [1, 2] },
    })
    const parsed = RingCentralEnvelope.parse(input)
    expect(parsed).toEqual(input)
    expect(parsed).toHaveProperty('deliveryAttempt', 2)
    expect(parsed.body).toHaveProperty('brandNew', [1, 2])
  })

  it('requires only uuid, event and body', () => {
    expect(
      RingCentralEnvelope.safeParse({
        uuid: '1',
        event: '/restapi/v1.0/account/1/extension/2',
        body: {},
      }).success,
    ).toBe(true)
    expect(RingCentralEnvelope.safeParse({ event: '/x', body: {} }).success).toBe(false)
    expect(RingCentralEnvelope.safeParse({ uuid: '1', body: {} }).success).toBe(false)
    expect(RingCentralEnvelope.safeParse({ uuid: '1', event: '/x' }).success).toBe(false)
  })

  it('rejects an empty uuid', () => {
    expect(RingCentralEnvelope.safeParse(genericNotification({ uuid: '' })).success).toBe(false)
  })

  it('validates timestamp when present, with a Z or a numeric offset', () => {
    expect(
      RingCentralEnvelope.safeParse(genericNotification({ timestamp: '2026-03-02T10:15:00.120Z' }))
        .success,
    ).toBe(true)
    expect(
      RingCentralEnvelope.safeParse(genericNotification({ timestamp: '2026-03-02T10:15:00+02:00' }))
        .success,
    ).toBe(true)
    expect(
      RingCentralEnvelope.safeParse(genericNotification({ timestamp: 'yesterday' })).success,
    ).toBe(false)
    expect(
      RingCentralEnvelope.safeParse(genericNotification({ timestamp: undefined })).success,
    ).toBe(true)
  })

  it('rejects a body that is not an object', () => {
    expect(RingCentralEnvelope.safeParse({ ...genericNotification(), body: 'text' }).success).toBe(
      false,
    )
    expect(RingCentralEnvelope.safeParse({ ...genericNotification(), body: null }).success).toBe(
      false,
    )
  })
})
