import { describe, expect, it } from 'vitest'
import {
  genericNotification,
  subscriptionRenewalReminder,
  telephonySessionNotification,
} from './fixtures/ringcentral.ts'
import { zohoNotification } from './fixtures/zoho.ts'
import { ringCentralMessageKey, topicNames, topics, zohoMessageKey } from './topics.ts'

describe('topics', () => {
  it('names the four gateway topics and nothing else', () => {
    expect(topicNames).toEqual({
      ringcentralWebhooks: 'ringcentral.webhooks',
      ringcentralWebhooksInvalid: 'ringcentral.webhooks.invalid',
      zohoWebhooks: 'zoho.webhooks',
      zohoWebhooksInvalid: 'zoho.webhooks.invalid',
    })
    for (const [id, topic] of Object.entries(topics)) {
      expect(topic.name).toBe(topicNames[id as keyof typeof topicNames])
      expect(topic.key.length).toBeGreaterThan(0)
    }
  })

  it('gives each topic the value schema of what is published there', () => {
    const rc = telephonySessionNotification()
    expect(
      topics.ringcentralWebhooks.value.safeParse({
        provider: 'ringcentral',
        kind: 'telephony-session',
        receivedAt: '2026-03-02T10:15:00.250Z',
        dedupKey: 'rc:1',
        payload: rc,
      }).success,
    ).toBe(true)
    expect(
      topics.zohoWebhooksInvalid.value.safeParse({
        provider: 'zoho',
        receivedAt: '2026-03-02T10:15:00.250Z',
        error: 'invalid Zoho notification: ids: too small',
        payload: { ids: [] },
      }).success,
    ).toBe(true)
  })
})

describe('ringCentralMessageKey', () => {
  it('keys telephony events by telephonySessionId, so one call stays in order', () => {
    const first = telephonySessionNotification({ sequence: 1, telephonySessionId: 's-abc' })
    const second = telephonySessionNotification({
      sequence: 2,
      telephonySessionId: 's-abc',
      eventExtensionId: '2002',
    })
    expect(ringCentralMessageKey(first)).toBe('s-abc')
    expect(ringCentralMessageKey(second)).toBe('s-abc')
  })

  it('falls back to the uuid when the body has no usable telephonySessionId', () => {
    expect(ringCentralMessageKey(subscriptionRenewalReminder({ uuid: 'u-1' }))).toBe('u-1')
    expect(
      ringCentralMessageKey(genericNotification({ uuid: 'u-2', body: { telephonySessionId: 42 } })),
    ).toBe('u-2')
    expect(
      ringCentralMessageKey(genericNotification({ uuid: 'u-3', body: { telephonySessionId: '' } })),
    ).toBe('u-3')
  })
})

describe('zohoMessageKey', () => {
  it('is the module and the first id in string order', () => {
    expect(zohoMessageKey(zohoNotification({ module: 'Leads', ids: ['30', '4'] }))).toBe('Leads:30')
    expect(zohoMessageKey(zohoNotification({ module: 'Leads', ids: ['4', '30'] }))).toBe('Leads:30')
    expect(zohoMessageKey(zohoNotification({ module: 'Contacts', ids: [17] }))).toBe('Contacts:17')
  })
})
