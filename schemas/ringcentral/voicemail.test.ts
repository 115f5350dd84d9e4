import { describe, expect, it } from 'vitest'
import { voicemailNotification } from '../fixtures/ringcentral.ts'
import { VoicemailBody, VoicemailNotification } from './voicemail.ts'

describe('VoicemailBody', () => {
  it('accepts a voicemail with a recording, in either spelling of the type', () => {
    expect(VoicemailNotification.safeParse(voicemailNotification()).success).toBe(true)
    expect(
      VoicemailNotification.safeParse(voicemailNotification({ type: 'Voicemail' })).success,
    ).toBe(true)
  })

  it('accepts a voicemail from an anonymous caller with no attachments yet', () => {
    expect(VoicemailBody.safeParse({ id: '9120004413', from: {}, to: [] }).success).toBe(true)
    expect(VoicemailBody.safeParse({ id: '9120004413' }).success).toBe(true)
  })

  it('accepts attachment ids as numbers or strings', () => {
    const attachments = [
      { id: 61002, type: 'AudioRecording' },
      { id: '61003', type: 'AudioTranscription' },
    ]
    expect(VoicemailNotification.safeParse(voicemailNotification({ attachments })).success).toBe(
      true,
    )
  })

  it('keeps unknown fields in the body, the parties and the attachments', () => {
    const input = voicemailNotification({
      bodyExtra: { vmScore: 0.9 },
      from: { phoneNumber: '+15550111', spamRisk: 'low' },
      attachments: [{ id: 61002, type: 'AudioRecording', checksum: 'abc' }],
    })
    expect(VoicemailNotification.parse(input)).toEqual(input)
  })

  it('rejects a voicemail without a message id, or with malformed recipients', () => {
    expect(VoicemailBody.safeParse({ type: 'VoiceMail' }).success).toBe(false)
    expect(VoicemailBody.safeParse({ id: '1', to: { name: 'x' } }).success).toBe(false)
    expect(
      VoicemailBody.safeParse({ id: '1', attachments: [{ type: 'AudioRecording' }] }).success,
    ).toBe(false)
  })
})
