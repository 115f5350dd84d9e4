/**
 * @module consumers/notifier/role
 * The `notifier` role. Its variables are not in platform/config/vars.ts yet: they are read from
 * the configuration by name where they exist, with the defaults of settings.ts, and `vars` can
 * set them explicitly. Start-up fails with every problem listed when a routed channel lacks what
 * it needs; a channel nobody routes to needs nothing.
 */
import { ringCentralFromConfig } from '../../integrations/from-config.ts'
import type { RingCentralClient } from '../../integrations/ringcentral/index.ts'
import type { Config } from '../../platform/config/vars.ts'
import type { Role } from '../../platform/runtime/role.ts'
import { createLedger } from '../ledger/ledger.ts'
import { startConsumer } from '../runtime/index.ts'
import { createChatChannel } from './channels/chat.ts'
import { createEmailChannel, type EmailChannel } from './channels/email.ts'
import { createSmsChannel } from './channels/sms.ts'
import type { NotificationChannel } from './delivery.ts'
import type { ChannelName } from './events.ts'
import { createNotifier } from './notifier.ts'
import { createStaticOwnerDirectory, type OwnerDirectory } from './owner-directory.ts'
import {
  NotifierConfigError,
  type NotifierVarName,
  type NotifierVars,
  notifierSettings,
  notifierVarNames,
} from './settings.ts'
import { loadTemplates } from './templates.ts'

/** Options of {@link createNotifierRole}. */
export interface NotifierRoleOptions {
  /** Values that win over the configuration (until vars.ts has the variables, the only way to set them). */
  readonly vars?: NotifierVars
  /** Replaces the OWNER_DIRECTORY map, e.g. with one backed by the CRM's users. */
  readonly ownerDirectory?: OwnerDirectory
}

/**
 * The notifier variables the configuration has (by name; strings, or string lists joined with
 * commas), overlaid with `overrides`.
 */
export const notifierVarsFrom = (config: Config, overrides: NotifierVars = {}): NotifierVars => {
  const source: Readonly<Record<string, unknown>> = config
  const vars: Partial<Record<NotifierVarName, string>> = {}
  for (const name of notifierVarNames) {
    const value = source[name]
    if (typeof value === 'string') vars[name] = value
    // A comma-list schema (vars.ts `list`) hands over an array: join it back.
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      vars[name] = value.join(',')
    }
  }
  return { ...vars, ...overrides }
}

const present = (value: string | undefined, name: NotifierVarName): string => {
  if (value === undefined) throw new NotifierConfigError([`${name}: is required`])
  return value
}

/**
 * The notifier role with explicit options.
 *
 * @example
 * ```ts
 * const role = createNotifierRole({ vars: { NOTIFY_CHANNELS: 'missed:email', SMTP_URL: 'smtp://mail:25',
 *   NOTIFY_EMAIL_FROM: 'calls@example.com', NOTIFY_FALLBACK_EMAIL: 'sales@example.com' } })
 * ```
 */
export const createNotifierRole = (options: NotifierRoleOptions = {}): Role => ({
  name: 'notifier',
  summary: 'tells CRM owners about missed calls, voicemails and new leads (e-mail, chat, SMS)',
  requires: [],
  start: async ({ config, logger, bus, kv, db, health, metrics }) => {
    const settings = notifierSettings(notifierVarsFrom(config, options.vars))
    let ringcentral: RingCentralClient | undefined
    if (settings.channels.has('sms')) {
      ringcentral = ringCentralFromConfig(config, kv, logger)
      if (!ringcentral) {
        throw new NotifierConfigError([
          'RINGCENTRAL_CLIENT_ID, RINGCENTRAL_CLIENT_SECRET, RINGCENTRAL_JWT: required for the sms channel (NOTIFY_CHANNELS)',
        ])
      }
      health.add(ringcentral.health, { readiness: false })
    }
    const templates = await loadTemplates({ overrideDir: settings.templatesDir })
    if (templates.overridden.length > 0) {
      logger.info({ files: templates.overridden }, 'notification templates overridden')
    }
    if (templates.ignored.length > 0) {
      logger.warn(
        { files: templates.ignored },
        'files in NOTIFY_TEMPLATES_DIR that are not templates',
      )
    }
    const channels: Partial<Record<ChannelName, NotificationChannel>> = {}
    let email: EmailChannel | undefined
    if (settings.channels.has('email')) {
      email = createEmailChannel({
        smtpUrl: present(settings.smtpUrl, 'SMTP_URL'),
        from: present(settings.emailFrom, 'NOTIFY_EMAIL_FROM'),
      })
      channels.email = email
    }
    if (settings.channels.has('chat')) {
      channels.chat = createChatChannel({
        url: present(settings.chatWebhookUrl, 'CHAT_WEBHOOK_URL'),
      })
    }
    if (ringcentral) {
      channels.sms = createSmsChannel({
        ringcentral,
        from: present(settings.smsFrom, 'SMS_FROM_NUMBER'),
      })
    }
    const release = () => {
      email?.close()
      ringcentral?.close()
    }
    let running: Awaited<ReturnType<typeof startConsumer>>
    try {
      const definition = createNotifier({
        ledger: createLedger(db),
        channels,
        routes: settings.routes,
        templates,
        directory: options.ownerDirectory ?? createStaticOwnerDirectory(settings.owners),
        fallback: settings.fallback,
        timeZone: settings.timeZone,
      })
      running = await startConsumer({ bus, definition, logger, metrics })
    } catch (error) {
      release()
      throw error
    }
    logger.info(
      { routes: settings.routes, owners: settings.owners.size, timeZone: settings.timeZone },
      'notifier routes',
    )
    return {
      stop: async () => {
        await running.stop()
        release()
      },
    }
  },
})

/** The `notifier` role, configured from the process configuration. */
export const notifierRole: Role = createNotifierRole()
