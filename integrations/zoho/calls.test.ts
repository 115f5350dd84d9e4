import { describe, expect, it } from 'vitest'
import type { CallActivity } from '../crm/port.ts'
import { callDuration, callFields, zohoDateTime } from './calls.ts'

const call = (overrides: Partial<CallActivity> = {}): CallActivity => ({
  person: { module: 'Leads', id: '111' },
  subject: 'Inbound call from +14155550123',
  callType: 'Inbound',
  startTime: '2025-01-10T10:15:00.250Z',
  durationS: 205,
  ...overrides,
})

describe('call logging fields', () => {
  it('formats the duration as mm:ss, minutes past 59 included', () => {
    expect(callDuration(0)).toBe('00:00')
    expect(callDuration(205)).toBe('03:25')
    expect(callDuration(4530)).toBe('75:30')
    expect(callDuration(59.6)).toBe('01:00')
    expect(() => callDuration(-1)).toThrow(/zero or more/)
  })

  it("formats the start time as Zoho's datetime in UTC without milliseconds", () => {
    expect(zohoDateTime('2025-01-10T11:15:00.250+01:00')).toBe('2025-01-10T10:15:00+00:00')
    expect(() => zohoDateTime('yesterday')).toThrow(/not a date/)
  })

  it('links a lead through What_Id and $se_module', () => {
    expect(callFields(call())).toEqual({
      Subject: 'Inbound call from +14155550123',
      Call_Type: 'Inbound',
      Call_Start_Time: '2025-01-10T10:15:00+00:00',
      Call_Duration: '03:25',
      What_Id: { id: '111' },
      $se_module: 'Leads',
    })
  })

  it('links a contact through Who_Id and marks an outbound call completed', () => {
    const fields = callFields(
      call({
        person: { module: 'Contacts', id: '222' },
        callType: 'Outbound',
        description: 'RingCentral session 42',
        ownerId: '9',
      }),
    )
    expect(fields).toMatchObject({
      Who_Id: { id: '222' },
      Outgoing_Call_Status: 'Completed',
      Description: 'RingCentral session 42',
      Owner: { id: '9' },
    })
    expect(fields).not.toHaveProperty('What_Id')
    expect(fields).not.toHaveProperty('$se_module')
  })
})
