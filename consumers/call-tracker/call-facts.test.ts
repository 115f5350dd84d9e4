import { describe, expect, it } from 'vitest'
import { CallLogRecord } from '../../integrations/ringcentral/index.ts'
import { callFacts, toE164 } from './call-facts.ts'

const SESSION = 's-facts0001'

const record = (fields: Record<string, unknown>): CallLogRecord =>
  CallLogRecord.parse({
    id: 'A1',
    telephonySessionId: SESSION,
    startTime: '2026-11-01T10:00:00.000Z',
    duration: 60,
    direction: 'Inbound',
    result: 'Accepted',
    from: { phoneNumber: '+15550111', name: 'Pat Caller' },
    to: { phoneNumber: '+15550100', name: 'Front Desk' },
    extension: { id: 2002 },
    ...fields,
  })

const facts = (records: CallLogRecord[]) => {
  const result = callFacts({
    telephonySessionId: SESSION,
    records,
    source: 'webhook',
    region: 'US',
  })
  if (!result.ok) throw new Error(result.error)
  return result.call
}

describe('callFacts', () => {
  it('maps an answered inbound call', () => {
    expect(facts([record({})])).toEqual({
      telephonySessionId: SESSION,
      direction: 'Inbound',
      result: 'answered',
      external: { phoneNumber: '+15550111', name: 'Pat Caller' },
      internal: { phoneNumber: '+15550100', name: 'Front Desk' },
      extensionId: '2002',
      startTime: '2026-11-01T10:00:00.000Z',
      durationS: 60,
      voicemail: false,
      recording: null,
      callLogIds: ['A1'],
      source: 'webhook',
    })
  })

  it('combines the records of a transfer: first start, whole span, last answering extension, its recording', () => {
    const target = record({
      id: 'B2',
      startTime: '2026-11-01T10:00:20.000Z',
      duration: 100,
      action: 'Transfer',
      extension: { id: 2003 },
      recording: { id: 'rec-9', contentUri: 'https://media.example/rec-9/content' },
    })
    const desk = record({ id: 'A1', duration: 20 })
    const call = facts([target, desk])
    expect(call).toMatchObject({
      startTime: '2026-11-01T10:00:00.000Z',
      durationS: 120,
      extensionId: '2003',
      recording: { id: 'rec-9', contentUri: 'https://media.example/rec-9/content' },
      callLogIds: ['A1', 'B2'],
    })
  })

  it('reports missed and voicemail calls, voicemail from the result or the session hint', () => {
    expect(facts([record({ result: 'Missed' })])).toMatchObject({
      result: 'missed',
      voicemail: false,
    })
    expect(facts([record({ result: 'Voicemail' })])).toMatchObject({
      result: 'voicemail',
      voicemail: true,
    })
    const hinted = callFacts({
      telephonySessionId: SESSION,
      records: [record({ result: 'Missed' })],
      source: 'reconciler',
      region: 'US',
      hints: { voicemail: true },
    })
    expect(hinted).toMatchObject({ ok: true, call: { result: 'voicemail', voicemail: true } })
  })

  it('takes the outside party from `to` on an outbound call', () => {
    const call = facts([
      record({
        direction: 'Outbound',
        result: 'Call connected',
        from: { phoneNumber: '+15550100', extensionNumber: '101' },
        to: { phoneNumber: '+442079460958' },
      }),
    ])
    expect(call.external).toEqual({ phoneNumber: '+442079460958' })
    expect(call.internal).toEqual({ phoneNumber: '+15550100' })
  })

  it('ignores deleted records and reports sessions without any record', () => {
    const result = callFacts({
      telephonySessionId: SESSION,
      records: [record({ deleted: true })],
      source: 'backfill',
      region: 'US',
    })
    expect(result).toEqual({ ok: false, error: 'no call-log record' })
  })
})

describe('toE164', () => {
  it('normalises dialable numbers and gives null for anonymous ones', () => {
    expect(toE164('+1 (415) 555-0100', 'US')).toBe('+14155550100')
    expect(toE164('4155550100', 'US')).toBe('+14155550100')
    expect(toE164('anonymous', 'US')).toBeNull()
    expect(toE164(undefined, 'US')).toBeNull()
  })
})
