/**
 * @module simulators/zoho/modules
 * The modules the simulator serves and their fields: the system fields of Leads, Contacts,
 * Accounts and Calls (names from the v8 SDK's `field.js`), with the data types, lengths and
 * mandatory flags that records are validated against and that `settings/fields` reports.
 */

export type FieldType =
  | 'text'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'website'
  | 'picklist'
  | 'datetime'
  | 'boolean'
  | 'integer'
  | 'bigint'
  | 'lookup'
  | 'ownerlookup'
  | 'multi_module_lookup'

export interface FieldDef {
  readonly apiName: string
  readonly type: FieldType
  /** Maximum length in characters for text-like fields. */
  readonly length?: number
  /** `system_mandatory`: a create without it fails with MANDATORY_NOT_FOUND. */
  readonly mandatory?: boolean
  /** Set by the server only (`Created_Time`, `Full_Name`, …); values sent are ignored. */
  readonly readOnly?: boolean
  /** Picklist values; `strict` ones reject anything else with INVALID_DATA. */
  readonly values?: readonly string[]
  readonly strict?: boolean
  /** Module of a `lookup` field. */
  readonly lookupModule?: string
}

export interface ModuleDef {
  readonly apiName: string
  readonly id: string
  readonly singular: string
  readonly plural: string
  readonly fields: readonly FieldDef[]
  /** System-defined duplicate-check fields, used by upsert when none are named. */
  readonly duplicateCheck: readonly string[]
  /** Whether records are served at `/crm/v8/{module}` (Notes are served by their own routes). */
  readonly records: boolean
}

const f = (apiName: string, type: FieldType, extra: Omit<FieldDef, 'apiName' | 'type'> = {}) => ({
  apiName,
  type,
  ...extra,
})

const SYSTEM: readonly FieldDef[] = [
  f('Owner', 'ownerlookup'),
  f('Created_By', 'ownerlookup', { readOnly: true }),
  f('Modified_By', 'ownerlookup', { readOnly: true }),
  f('Created_Time', 'datetime', { readOnly: true }),
  f('Modified_Time', 'datetime', { readOnly: true }),
]

const LEAD_SOURCES = ['Advertisement', 'Cold Call', 'Employee Referral', 'External Referral']
const PERSON: readonly FieldDef[] = [
  f('Salutation', 'picklist', { values: ['Mr.', 'Mrs.', 'Ms.', 'Dr.', 'Prof.'] }),
  f('First_Name', 'text', { length: 40 }),
  f('Last_Name', 'text', { length: 80, mandatory: true }),
  f('Full_Name', 'text', { length: 120, readOnly: true }),
  f('Email', 'email', { length: 100 }),
  f('Secondary_Email', 'email', { length: 100 }),
  f('Phone', 'phone', { length: 30 }),
  f('Mobile', 'phone', { length: 30 }),
  f('Fax', 'phone', { length: 30 }),
  f('Lead_Source', 'picklist', { values: [...LEAD_SOURCES, 'Online Store', 'Phone Call'] }),
  f('Description', 'textarea', { length: 32_000 }),
]

const LEADS: ModuleDef = {
  apiName: 'Leads',
  id: '5725767000000002175',
  singular: 'Lead',
  plural: 'Leads',
  duplicateCheck: ['Email'],
  records: true,
  fields: [
    ...SYSTEM,
    ...PERSON,
    f('Company', 'text', { length: 200 }),
    f('Designation', 'text', { length: 100 }),
    f('Website', 'website', { length: 255 }),
    f('Lead_Status', 'picklist', {
      values: ['Attempted to Contact', 'Contact in Future', 'Contacted', 'Not Contacted'],
    }),
    f('Converted__s', 'boolean', { readOnly: true }),
  ],
}

const CONTACTS: ModuleDef = {
  apiName: 'Contacts',
  id: '5725767000000002179',
  singular: 'Contact',
  plural: 'Contacts',
  duplicateCheck: ['Email'],
  records: true,
  fields: [
    ...SYSTEM,
    ...PERSON,
    f('Home_Phone', 'phone', { length: 30 }),
    f('Other_Phone', 'phone', { length: 30 }),
    f('Asst_Phone', 'phone', { length: 30 }),
    f('Title', 'text', { length: 100 }),
    f('Account_Name', 'lookup', { lookupModule: 'Accounts' }),
  ],
}

const ACCOUNTS: ModuleDef = {
  apiName: 'Accounts',
  id: '5725767000000002177',
  singular: 'Account',
  plural: 'Accounts',
  duplicateCheck: ['Account_Name'],
  records: true,
  fields: [
    ...SYSTEM,
    f('Account_Name', 'text', { length: 200, mandatory: true }),
    f('Phone', 'phone', { length: 30 }),
    f('Fax', 'phone', { length: 30 }),
    f('Website', 'website', { length: 255 }),
    f('Description', 'textarea', { length: 32_000 }),
  ],
}

const CALLS: ModuleDef = {
  apiName: 'Calls',
  id: '5725767000000002201',
  singular: 'Call',
  plural: 'Calls',
  duplicateCheck: [],
  records: true,
  fields: [
    ...SYSTEM,
    f('Subject', 'text', { length: 255, mandatory: true }),
    f('Call_Type', 'picklist', {
      values: ['Inbound', 'Outbound', 'Missed'],
      strict: true,
      mandatory: true,
    }),
    f('Call_Start_Time', 'datetime', { mandatory: true }),
    // Mandatory in the field metadata; the SDK lets scheduled calls through without it.
    f('Call_Duration', 'text', { length: 10, mandatory: true }),
    f('Call_Duration_in_seconds', 'integer', { readOnly: true }),
    f('Call_Purpose', 'picklist', { values: ['Prospecting', 'Administrative', 'Negotiation'] }),
    f('Call_Agenda', 'text', { length: 255 }),
    f('Call_Result', 'picklist', { values: ['Interested', 'Not interested', 'No response'] }),
    f('Outgoing_Call_Status', 'picklist', { values: ['Scheduled', 'Completed', 'Overdue'] }),
    f('Dialled_Number', 'text', { length: 30 }),
    f('Caller_ID', 'text', { length: 30 }),
    f('Description', 'textarea', { length: 32_000 }),
    f('Who_Id', 'lookup', { lookupModule: 'Contacts' }),
    f('What_Id', 'multi_module_lookup'),
  ],
}

const NOTES: ModuleDef = {
  apiName: 'Notes',
  id: '5725767000000002197',
  singular: 'Note',
  plural: 'Notes',
  duplicateCheck: [],
  records: false,
  fields: [
    ...SYSTEM,
    f('Note_Title', 'text', { length: 120 }),
    f('Note_Content', 'textarea', { length: 32_000, mandatory: true }),
    f('Parent_Id', 'multi_module_lookup'),
  ],
}

/** Every module, in the order `settings/modules` lists them. */
export const moduleDefs: readonly ModuleDef[] = [LEADS, CONTACTS, ACCOUNTS, CALLS, NOTES]

/** Modules a Calls `What_Id` may point at (`$se_module`). */
export const whatIdModules = ['Leads', 'Accounts'] as const

/** The module with this API name, matched case-insensitively as Zoho does in URLs. */
export const findModule = (name: string): ModuleDef | undefined => {
  const lower = name.toLowerCase()
  return moduleDefs.find((module) => module.apiName.toLowerCase() === lower)
}

/** The module for `/crm/v8/{module}` record routes, or undefined. */
export const recordModule = (name: string): ModuleDef | undefined => {
  const module = findModule(name)
  return module?.records ? module : undefined
}

export const fieldOf = (module: ModuleDef, apiName: string): FieldDef | undefined =>
  module.fields.find((field) => field.apiName === apiName)

/** The module's phone-type fields, which `search?phone=` searches. */
export const phoneFields = (module: ModuleDef): readonly string[] =>
  module.fields.filter((field) => field.type === 'phone').map((field) => field.apiName)

/** The module's email-type fields, which `search?email=` searches. */
export const emailFields = (module: ModuleDef): readonly string[] =>
  module.fields.filter((field) => field.type === 'email').map((field) => field.apiName)
