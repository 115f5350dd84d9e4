import { describe, expect, it } from 'vitest'
import {
  type DesiredSubscription,
  planSubscription,
  type RcSubscription,
} from './ringcentral-plan.ts'

const now = Date.parse('2026-11-23T12:00:00Z')
const day = 86_400_000
const desired: DesiredSubscription = {
  address: 'https://gw.example.com/webhooks/ringcentral',
  eventFilters: ['/restapi/v1.0/account/~/telephony/sessions'],
  tokenFingerprint: 'fp-current',
}
const sub = (overrides: Partial<RcSubscription> = {}): RcSubscription => ({
  id: 'sub-1',
  status: 'Active',
  eventFilters: desired.eventFilters,
  expirationTime: new Date(now + 300 * day).toISOString(),
  deliveryMode: { transportType: 'WebHook', address: desired.address },
  ...overrides,
})
const memory = { subscriptionId: 'sub-1', tokenFingerprint: 'fp-current' }
const plan = (subscriptions: RcSubscription[], mem: typeof memory | null = memory) =>
  planSubscription({ subscriptions, desired, memory: mem, now, renewWithinMs: 3 * day })

describe('RingCentral subscription plan', () => {
  it('creates a subscription when none exists', () => {
    expect(plan([], null)).toEqual({ action: 'create', reason: 'none exists', obsolete: [] })
  })

  it('keeps a healthy subscription it made with the current token', () => {
    expect(plan([sub()]).action).toBe('keep')
  })

  it('renews a subscription that expires soon', () => {
    expect(plan([sub({ expirationTime: new Date(now + day).toISOString() })]).action).toBe('renew')
  })

  it('recreates a blacklisted subscription and deletes the old one afterwards', () => {
    const blacklisted = sub({
      status: 'Blacklisted',
      blacklistedData: { reason: 'Read timed out' },
    })
    const result = plan([blacklisted])
    expect(result).toEqual({
      action: 'create',
      reason: 'subscription is Blacklisted: Read timed out',
      obsolete: [blacklisted],
    })
  })

  it('recreates when the verification token was rotated (RingCentral cannot change it in place)', () => {
    const result = plan([sub()], { subscriptionId: 'sub-1', tokenFingerprint: 'fp-previous' })
    expect(result.action).toBe('create')
    expect(result.action === 'create' && result.reason).toBe('the verification token was rotated')
  })

  it('recreates a subscription it does not remember making (unknown token)', () => {
    const stranger = sub({ id: 'sub-x' })
    expect(plan([stranger], null)).toEqual({
      action: 'create',
      reason: 'no subscription known to carry our token',
      obsolete: [stranger],
    })
  })

  it('updates the event filters in place when they changed', () => {
    expect(
      plan([sub({ eventFilters: ['/restapi/v1.0/account/~/extension/~/presence'] })]).action,
    ).toBe('update-filters')
  })

  it('deletes duplicates for the same address and leaves other apps alone', () => {
    const duplicate = sub({ id: 'sub-2' })
    const otherApp = sub({
      id: 'sub-3',
      deliveryMode: { transportType: 'WebHook', address: 'https://other.example/hook' },
    })
    const result = plan([sub(), duplicate, otherApp])
    expect(result).toMatchObject({ action: 'keep', obsolete: [duplicate] })
  })

  it('treats a subscription that vanished as gone', () => {
    expect(plan([sub({ id: 'sub-9' })]).action).toBe('create')
  })
})
