/**
 * @module consumers/notifier
 * Tells CRM owners (or a fallback) about missed calls, voicemails and new leads by e-mail, chat
 * webhook and SMS, at most once per call, type and channel. See README.md.
 */
export type { ChatChannelOptions } from './channels/chat.ts'
export { createChatChannel } from './channels/chat.ts'
export type { EmailChannel, EmailChannelOptions } from './channels/email.ts'
export { classifySmtpError, createEmailChannel } from './channels/email.ts'
export type { SmsChannelOptions } from './channels/sms.ts'
export { classifySmsError, createSmsChannel } from './channels/sms.ts'
export type { Notification, NotificationChannel } from './delivery.ts'
export { DeliveryError } from './delivery.ts'
export type { ChannelName, ChannelRoutes, NotificationType } from './events.ts'
export { channelNames, notificationKey, notificationTypes, notificationTypesOf } from './events.ts'
export type { NotifierOptions } from './notifier.ts'
export { createNotifier, NotificationFailedError } from './notifier.ts'
export type { OwnerContact, OwnerDirectory } from './owner-directory.ts'
export { createStaticOwnerDirectory, resolveRecipient } from './owner-directory.ts'
export type { NotifierRoleOptions } from './role.ts'
export { createNotifierRole, notifierRole, notifierVarsFrom } from './role.ts'
export type { NotifierSettings, NotifierVarName, NotifierVars } from './settings.ts'
export {
  NotifierConfigError,
  notifierSettings,
  notifierVarDefaults,
  notifierVarNames,
  parseChannelRoutes,
  parseOwnerDirectory,
} from './settings.ts'
export type { Placeholder, TemplateContext } from './template-context.ts'
export { placeholders, templateContext } from './template-context.ts'
export type { TemplatePart, Templates } from './templates.ts'
export {
  builtInTemplatesDir,
  escapeHtml,
  loadTemplates,
  TemplateError,
  templateFiles,
  templateParts,
} from './templates.ts'
