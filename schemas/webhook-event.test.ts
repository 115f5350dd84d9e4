import { describe, expect, it } from 'vitest'
import { telephonySessionNotification, voicemailNotification } from './fixtures/ringcentral.ts'
import { zohoNotification } from './fixtures/zoho.ts'
import { InvalidWebhookEvent, WebhookEvent } from './webhook-event.ts'

const receivedAt = '2026-03-02T10:15:00.250Z'

describe('WebhookEvent', () => {
  it('round-trips a RingCentral event through JSON with unknown payload fields intact', () => {
    const payload = telephonySessionNotification({
      extra: { later: true },
      bodyExtra: { alsoLater: 1 },
    })
    const event = {
      provider: 'ringcentral',
      kind: 'telephony-session',
      receivedAt,
      dedupKey: 'rc:1',
      payload,
    }
    const parsed = WebhookEvent.parse(JSON.parse(JSON.stringify(event)))
    expect(parsed).toEqual(event)
  })

  it('round-trips a Zoho event, keeping string and number values as they were', () => {
    const payload = {
      ...zohoNotification({ server_time: '1772446500123', ids: [5] }),
      extraKey: 'x',
    }
    const event = {
      provider: 'zoho',
      kind: 'Leads.insert',
      receivedAt,
      dedupKey: 'zoho:1',
      payload,
    }
    expect(WebhookEvent.parse(event)).toEqual(event)
  })

  it('checks the payload against the provider it claims', () => {
    expect(
      WebhookEvent.safeParse({
        provider: 'zoho',
        kind: 'voicemail',
        receivedAt,
        dedupKey: 'x',
        payload: voicemailNotification(),
      }).success,
    ).toBe(false)
    expect(
      WebhookEvent.safeParse({
        provider: 'teams',
        kind: 'x',
        receivedAt,
        dedupKey: 'x',
        payload: {},
      }).success,
    ).toBe(false)
  })

  it('requires an ISO receivedAt and a dedup key', () => {
    const payload = voicemailNotification()
    const base = {
      provider: 'ringcentral',
      kind: 'voicemail',
      receivedAt,
      dedupKey: 'rc:1',
      payload,
    }
    expect(WebhookEvent.safeParse({ ...base, receivedAt: 'now' }).success).toBe(false)
    expect(WebhookEvent.safeParse({ ...base, dedupKey: '' }).success).toBe(false)
  })
})

describe('InvalidWebhookEvent', () => {
  it('accepts any payload, with or without a dedup key', () => {
    for (const payload of [{ a: 1 }, [1], 'not json', null]) {
      expect(
        InvalidWebhookEvent.safeParse({
          provider: 'ringcentral',
          receivedAt,
          error: 'bad',
          payload,
        }).success,
      ).toBe(true)
    }
    expect(
      InvalidWebhookEvent.safeParse({
        provider: 'zoho',
        receivedAt,
        dedupKey: 'zoho:1',
        error: 'bad',
        payload: {},
      }).success,
    ).toBe(true)
  })

  it('requires an error text', () => {
    expect(
      InvalidWebhookEvent.safeParse({ provider: 'zoho', receivedAt, error: '', payload: {} })
        .success,
    ).toBe(false)
  })
})
