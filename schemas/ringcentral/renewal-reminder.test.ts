import { describe, expect, it } from 'vitest'
import { subscriptionRenewalReminder } from '../fixtures/ringcentral.ts'
import { RenewalReminderBody, RenewalReminderNotification } from './renewal-reminder.ts'

describe('RenewalReminderBody', () => {
  it('accepts expiresIn in seconds and keeps other fields', () => {
    expect(RenewalReminderBody.parse({ expiresIn: 540, status: 'Active' })).toEqual({
      expiresIn: 540,
      status: 'Active',
    })
  })

  it('accepts the fixture notification', () => {
    const input = subscriptionRenewalReminder({ expiresIn: 300 })
    expect(RenewalReminderNotification.parse(input)).toEqual(input)
  })

  it('rejects a missing or non-numeric expiresIn', () => {
    expect(RenewalReminderBody.safeParse({}).success).toBe(false)
    expect(RenewalReminderBody.safeParse({ expiresIn: '540' }).success).toBe(false)
  })
})
