/**
 * @module test/e2e/fixtures
 * The fixed facts of an end-to-end run: the roles, the topics they read and park on, the
 * simulators' credentials and users, and the owner routing and directory the roles are given.
 */

/** The roles the harness knows how to run, in start order (the gateway first). */
export const pipelineRoles = [
  'gateway',
  'call-tracker',
  'lead-matcher',
  'crm-sync',
  'recording-attacher',
  'notifier',
] as const
export type RoleName = (typeof pipelineRoles)[number]

/** What each consumer role reads: its groups are `callbridge.<role>` and `callbridge.<role>.retry`. */
export const consumedTopic: Readonly<Record<Exclude<RoleName, 'gateway'>, string>> = {
  'call-tracker': 'ringcentral.webhooks',
  'lead-matcher': 'calls.completed',
  'crm-sync': 'zoho.webhooks',
  'recording-attacher': 'calls.matched',
  notifier: 'calls.matched',
}

/** Topics where events are parked: all of them must stay empty. */
export const parkingTopics = [
  'ringcentral.webhooks.invalid',
  'zoho.webhooks.invalid',
  'ringcentral.webhooks.dlq',
  'zoho.webhooks.dlq',
  'calls.completed.dlq',
  'calls.matched.dlq',
] as const

/** Simulator credentials (the simulators' defaults). */
export const simCredentials = {
  RINGCENTRAL_CLIENT_ID: 'sim-rc-client-id',
  RINGCENTRAL_CLIENT_SECRET: 'sim-rc-client-secret',
  RINGCENTRAL_JWT: 'sim-rc-jwt-credential',
  ZOHO_CLIENT_ID: 'sim-zoho-client-id',
  ZOHO_CLIENT_SECRET: 'sim-zoho-client-secret',
  ZOHO_REFRESH_TOKEN: 'sim-zoho-refresh-token',
} as const

/** Zoho users of the simulator (users-data.ts) that own leads in the tests. */
export const zohoUsers = {
  bianca: '5725767000000300002',
  chen: '5725767000000300003',
  dario: '5725767000000300004',
} as const

/** Owner routing given to the lead-matcher: extension → Zoho user, else the default. */
export const extensionOwners: Readonly<Record<string, string>> = {
  '2002': zohoUsers.bianca,
  '2003': zohoUsers.chen,
}
export const defaultOwner = zohoUsers.dario

/** The notifier's owner directory (Dario is left out: his notifications go to the fallback). */
export const ownerEmails: Readonly<Record<string, string>> = {
  [zohoUsers.bianca]: 'bianca@example.com',
  [zohoUsers.chen]: 'chen@example.com',
}
export const fallbackEmail = 'sales@example.com'
