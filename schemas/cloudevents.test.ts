import { describe, expect, it } from 'vitest'
import {
  cloudEventHeaders,
  ringCentralCloudEventSource,
  ringCentralCloudEventType,
  zohoCloudEventSource,
  zohoCloudEventType,
} from './cloudevents.ts'
import { telephonySessionNotification } from './fixtures/ringcentral.ts'
import { zohoNotification } from './fixtures/zoho.ts'

describe('cloudEventHeaders', () => {
  it('maps the attributes to ce_ headers with spec version 1.0', () => {
    expect(
      cloudEventHeaders({
        id: 'rc:1',
        source: '/ringcentral/subscription/s1',
        type: 'com.ringcentral.voicemail',
        time: '2026-03-02T10:15:00.250Z',
      }),
    ).toEqual({
      ce_specversion: '1.0',
      ce_id: 'rc:1',
      ce_source: '/ringcentral/subscription/s1',
      ce_type: 'com.ringcentral.voicemail',
      ce_time: '2026-03-02T10:15:00.250Z',
    })
  })
})

describe('CloudEvents naming', () => {
  it('names RingCentral types by kind and sources by subscription', () => {
    expect(ringCentralCloudEventType('telephony-session')).toBe('com.ringcentral.telephony-session')
    expect(
      ringCentralCloudEventSource(telephonySessionNotification({ subscriptionId: 'sub-9' })),
    ).toBe('/ringcentral/subscription/sub-9')
    expect(
      ringCentralCloudEventSource(telephonySessionNotification({ subscriptionId: undefined })),
    ).toBe('/ringcentral/subscription/unknown')
  })

  it('names Zoho types by module and operation and sources by channel', () => {
    const n = zohoNotification({
      module: 'Contacts',
      operation: 'delete',
      channel_id: 1000000068001,
    })
    expect(zohoCloudEventType(n)).toBe('com.zoho.crm.Contacts.delete')
    expect(zohoCloudEventSource(n)).toBe('/zoho/crm/channel/1000000068001')
  })
})
