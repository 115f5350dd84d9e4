/**
 * @module consumers/notifier/settings
 * The notifier's configuration: environment-style variables (strings) parsed into typed settings,
 * with every problem reported at once, each naming the variable and an example. Which variables
 * are required depends on the channels NOTIFY_CHANNELS routes to: a channel nobody uses needs
 * nothing.
 */
import { z } from 'zod'
import {
  type ChannelName,
  type ChannelRoutes,
  channelNames,
  type NotificationType,
  notificationTypes,
} from './events.ts'
import type { OwnerContact } from './owner-directory.ts'
import { checkTimeZone } from './template-context.ts'

/** The variables the notifier reads (to be added to platform/config/vars.ts). */
export const notifierVarNames = [
  'NOTIFY_CHANNELS',
  'SMTP_URL',
  'NOTIFY_EMAIL_FROM',
  'NOTIFY_FALLBACK_EMAIL',
  'NOTIFY_FALLBACK_MOBILE',
  'OWNER_DIRECTORY',
  'CHAT_WEBHOOK_URL',
  'SMS_FROM_NUMBER',
  'NOTIFY_TEMPLATES_DIR',
  'NOTIFY_TIME_ZONE',
] as const
export type NotifierVarName = (typeof notifierVarNames)[number]

/** The raw values, as the configuration gives them; absent or '' = unset. */
export type NotifierVars = Readonly<Partial<Record<NotifierVarName, string>>>

/** Defaults applied to unset variables. */
export const notifierVarDefaults = {
  NOTIFY_CHANNELS: 'missed:email,voicemail:email,new-lead:email',
  NOTIFY_TIME_ZONE: 'UTC',
} as const satisfies NotifierVars

/** Examples shown in error messages. */
const examples: Readonly<Record<NotifierVarName, string>> = {
  NOTIFY_CHANNELS: 'missed:email+chat,voicemail:email+sms,new-lead:email',
  SMTP_URL: 'smtp://user:password@smtp.example.com:587',
  NOTIFY_EMAIL_FROM: 'callbridge <calls@example.com>',
  NOTIFY_FALLBACK_EMAIL: 'sales@example.com',
  NOTIFY_FALLBACK_MOBILE: '+14155550100',
  OWNER_DIRECTORY: '4150868000000225013:ana@example.com:+14155550123:Ana Lima',
  CHAT_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
  SMS_FROM_NUMBER: '+16505550111',
  NOTIFY_TEMPLATES_DIR: '/etc/callbridge/templates',
  NOTIFY_TIME_ZONE: 'Europe/Berlin',
}

/** What the notifier runs with. */
export interface NotifierSettings {
  readonly routes: ChannelRoutes
  /** The channels some type routes to. */
  readonly channels: ReadonlySet<ChannelName>
  readonly smtpUrl: string | undefined
  readonly emailFrom: string | undefined
  /** Used for every field the owner directory does not know. */
  readonly fallback: OwnerContact
  readonly owners: ReadonlyMap<string, OwnerContact>
  readonly chatWebhookUrl: string | undefined
  readonly smsFrom: string | undefined
  readonly templatesDir: string | undefined
  readonly timeZone: string
}

/** The configuration cannot work; `problems` has one line per variable. */
export class NotifierConfigError extends Error {
  override readonly name = 'NotifierConfigError'
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(`notifier configuration is invalid:\n  - ${problems.join('\n  - ')}`)
    this.problems = problems
  }
}

const E164 = /^\+[1-9]\d{6,14}$/
const Email = z.email()
const SmtpUrl = z.url({ protocol: /^smtps?$/ })
const HttpUrl = z.url({ protocol: /^https?$/ })

const isType = (value: string): value is NotificationType =>
  (notificationTypes as readonly string[]).includes(value)
const isChannel = (value: string): value is ChannelName =>
  (channelNames as readonly string[]).includes(value)

/**
 * Parses NOTIFY_CHANNELS: `<type>:<channel>+<channel>,...`; types missed|voicemail|new-lead,
 * channels email|chat|sms; a type left out is not notified.
 * @throws RangeError naming the bad entry.
 */
export const parseChannelRoutes = (value: string): ChannelRoutes => {
  const routes: Partial<Record<NotificationType, readonly ChannelName[]>> = {}
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [type = '', list = '', ...rest] = entry.split(':').map((part) => part.trim())
    if (!isType(type)) {
      throw new RangeError(`'${entry}': type must be one of ${notificationTypes.join(', ')}`)
    }
    const channels = list.split('+').map((c) => c.trim())
    if (rest.length > 0 || channels.some((c) => !isChannel(c))) {
      throw new RangeError(`'${entry}': channels must be ${channelNames.join(', ')} joined by '+'`)
    }
    if (routes[type]) throw new RangeError(`'${type}' is listed twice`)
    routes[type] = [...new Set(channels.filter(isChannel))]
  }
  return routes
}

/**
 * Parses OWNER_DIRECTORY: `<ownerId>:<email>:<mobile>[:<name>]` entries separated by commas;
 * email or mobile may be empty (not both); the name may not contain a comma.
 * @throws RangeError naming the bad entry.
 */
export const parseOwnerDirectory = (value: string): Map<string, OwnerContact> => {
  const owners = new Map<string, OwnerContact>()
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
  for (const [index, entry] of entries.entries()) {
    const [id = '', email = '', mobile = '', ...nameParts] = entry.split(':').map((p) => p.trim())
    const name = nameParts.join(':').trim()
    // Entries are named by position, not quoted: they hold personal data.
    const at = `entry ${index + 1}`
    if (!/^[A-Za-z0-9_.-]+$/.test(id)) throw new RangeError(`${at}: the owner id is missing`)
    if (email && !Email.safeParse(email).success) throw new RangeError(`${at}: bad e-mail`)
    if (mobile && !E164.test(mobile)) throw new RangeError(`${at}: the mobile must be E.164`)
    if (!email && !mobile) throw new RangeError(`${at}: needs an e-mail or a mobile number`)
    if (owners.has(id)) throw new RangeError(`owner ${id} is listed twice`)
    owners.set(id, {
      ...(email ? { email } : {}),
      ...(mobile ? { mobile } : {}),
      ...(name ? { name } : {}),
    })
  }
  return owners
}

/** What each channel needs, as variable names. */
const needs: Readonly<Record<ChannelName, readonly NotifierVarName[]>> = {
  email: ['SMTP_URL', 'NOTIFY_EMAIL_FROM', 'NOTIFY_FALLBACK_EMAIL'],
  chat: ['CHAT_WEBHOOK_URL'],
  sms: ['SMS_FROM_NUMBER', 'NOTIFY_FALLBACK_MOBILE'],
}

/**
 * Parses and checks the notifier variables (defaults applied).
 * @throws NotifierConfigError with every problem: bad values, and variables a routed channel needs.
 */
export const notifierSettings = (raw: NotifierVars): NotifierSettings => {
  const vars: NotifierVars = { ...notifierVarDefaults }
  for (const name of notifierVarNames) {
    const value = raw[name]?.trim()
    if (value) Object.assign(vars, { [name]: value })
  }
  const problems: string[] = []
  const problem = (name: NotifierVarName, text: string) =>
    problems.push(`${name}: ${text}; example: ${name}=${examples[name]}`)
  const checked = <T>(name: NotifierVarName, parse: (value: string) => T): T | undefined => {
    const value = vars[name]
    if (value === undefined) return undefined
    try {
      return parse(value)
    } catch (error) {
      problem(name, error instanceof Error ? error.message : String(error))
      return undefined
    }
  }
  const matching = (test: (value: string) => boolean, what: string) => (value: string) => {
    if (!test(value)) throw new RangeError(`must be ${what}`)
    return value
  }
  const routes = checked('NOTIFY_CHANNELS', parseChannelRoutes) ?? {}
  const channels = new Set(Object.values(routes).flat())
  for (const channel of channels) {
    for (const name of needs[channel]) {
      if (vars[name] === undefined)
        problem(name, `is required for the ${channel} channel (NOTIFY_CHANNELS)`)
    }
  }
  const email = (value: string) => Email.safeParse(value).success
  const fallbackEmail = checked('NOTIFY_FALLBACK_EMAIL', matching(email, 'an e-mail address'))
  const fallbackMobile = checked(
    'NOTIFY_FALLBACK_MOBILE',
    matching((v) => E164.test(v), 'E.164'),
  )
  const settings: NotifierSettings = {
    routes,
    channels,
    smtpUrl: checked(
      'SMTP_URL',
      matching((v) => SmtpUrl.safeParse(v).success, 'an smtp:// or smtps:// URL'),
    ),
    emailFrom: checked(
      'NOTIFY_EMAIL_FROM',
      matching((v) => /\S+@\S+/.test(v), 'an address, optionally "Name <address>"'),
    ),
    fallback: {
      ...(fallbackEmail ? { email: fallbackEmail } : {}),
      ...(fallbackMobile ? { mobile: fallbackMobile } : {}),
    },
    owners: checked('OWNER_DIRECTORY', parseOwnerDirectory) ?? new Map(),
    chatWebhookUrl: checked(
      'CHAT_WEBHOOK_URL',
      matching((v) => HttpUrl.safeParse(v).success, 'an http(s) URL'),
    ),
    smsFrom: checked(
      'SMS_FROM_NUMBER',
      matching((v) => E164.test(v), 'E.164'),
    ),
    templatesDir: vars.NOTIFY_TEMPLATES_DIR,
    timeZone: checked('NOTIFY_TIME_ZONE', checkTimeZone) ?? 'UTC',
  }
  if (problems.length > 0) throw new NotifierConfigError(problems)
  return settings
}
