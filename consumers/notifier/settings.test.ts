import { describe, expect, it } from 'vitest'
import {
  NotifierConfigError,
  notifierSettings,
  parseChannelRoutes,
  parseOwnerDirectory,
} from './settings.ts'

const emailVars = {
  SMTP_URL: 'smtp://user:secret@smtp.example.com:587',
  NOTIFY_EMAIL_FROM: 'callbridge <calls@example.com>',
  NOTIFY_FALLBACK_EMAIL: 'sales@example.com',
}

const problemsOf = (run: () => unknown): readonly string[] => {
  try {
    run()
  } catch (error) {
    if (error instanceof NotifierConfigError) return error.problems
    throw error
  }
  return []
}

describe('notifier settings', () => {
  it('reads the channels of each notification type', () => {
    expect(parseChannelRoutes('missed:email+chat, voicemail:email+sms,new-lead:email')).toEqual({
      missed: ['email', 'chat'],
      voicemail: ['email', 'sms'],
      'new-lead': ['email'],
    })
    expect(() => parseChannelRoutes('missed:fax')).toThrow(/channels must be email, chat, sms/)
    expect(() => parseChannelRoutes('callback:email')).toThrow(/type must be one of/)
    expect(() => parseChannelRoutes('missed:email,missed:chat')).toThrow(/listed twice/)
  })

  it('reads the owner directory, and names a bad entry by position only', () => {
    const owners = parseOwnerDirectory('41:ana@example.com:+14155550123:Ana Lima, 42::+14155550124')
    expect(owners.get('41')).toEqual({
      email: 'ana@example.com',
      mobile: '+14155550123',
      name: 'Ana Lima',
    })
    expect(owners.get('42')).toEqual({ mobile: '+14155550124' })
    expect(() => parseOwnerDirectory('41:ana@example.com,42:bo-at-example.com')).toThrow(
      new RangeError('entry 2: bad e-mail'),
    )
  })

  it('uses e-mail for every type by default and needs its SMTP settings', () => {
    expect(problemsOf(() => notifierSettings({}))).toEqual([
      'SMTP_URL: is required for the email channel (NOTIFY_CHANNELS); example: SMTP_URL=smtp://user:password@smtp.example.com:587',
      'NOTIFY_EMAIL_FROM: is required for the email channel (NOTIFY_CHANNELS); example: NOTIFY_EMAIL_FROM=callbridge <calls@example.com>',
      'NOTIFY_FALLBACK_EMAIL: is required for the email channel (NOTIFY_CHANNELS); example: NOTIFY_FALLBACK_EMAIL=sales@example.com',
    ])
    const settings = notifierSettings(emailVars)
    expect(settings.routes).toEqual({
      missed: ['email'],
      voicemail: ['email'],
      'new-lead': ['email'],
    })
    expect(settings.fallback).toEqual({ email: 'sales@example.com' })
    expect(settings.timeZone).toBe('UTC')
  })

  it('needs only what the routed channels need, and reports every problem at once without secrets', () => {
    expect(
      notifierSettings({
        NOTIFY_CHANNELS: 'missed:chat',
        CHAT_WEBHOOK_URL: 'https://hooks.example.com/x',
      }).channels,
    ).toEqual(new Set(['chat']))
    const problems = problemsOf(() =>
      notifierSettings({
        NOTIFY_CHANNELS: 'voicemail:sms+chat',
        SMS_FROM_NUMBER: '0650 555',
        SMTP_URL: 'http://user:hunter2@mail',
        NOTIFY_TIME_ZONE: 'Mars/Olympus',
      }),
    )
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'NOTIFY_FALLBACK_MOBILE',
      'CHAT_WEBHOOK_URL',
      'SMTP_URL',
      'SMS_FROM_NUMBER',
      'NOTIFY_TIME_ZONE',
    ])
    expect(problems[2]).toMatch(/^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL; example: /)
    expect(problems.join('\n')).not.toContain('hunter2')
  })
})
