/**
 * @module integrations/crm/port
 * The CRM port: what the consumers need from a CRM, in CRM-neutral words. Zoho is the first
 * adapter (integrations/zoho/crm.ts); another CRM implements this interface and nothing in the
 * consumers changes. Every method throws only the errors in ./errors.ts, so consumers can branch
 * on `retryable` without knowing the CRM.
 */
import type { HealthCheck } from '../../platform/health/check.ts'

/** The two kinds of person record a caller can match. */
export type PersonModule = 'Leads' | 'Contacts'

/** A lead or contact, as much of it as the pipeline needs. */
export interface CrmPerson {
  readonly module: PersonModule
  readonly id: string
  /** The CRM user who owns the record, when it has one. */
  readonly ownerId?: string
  /** Full display name. */
  readonly name?: string
  /** The phone value that matched (E.164 when it could be parsed, else as stored). */
  readonly phone?: string
}

/** One phone number of a person, as the phone directory keeps it. */
export interface PersonPhone {
  /** E.164, e.g. `+14155550123`. */
  readonly e164: string
  /** The CRM field holding it, e.g. `Mobile`. */
  readonly field: string
  /** Lower is preferred when two people share a number (Phone before Mobile ... Fax last). */
  readonly preference: number
}

/** A lead or contact with every phone number it has: what the phone directory is made of. */
export interface CrmPersonPhones {
  readonly module: PersonModule
  readonly id: string
  readonly ownerId?: string
  readonly name?: string
  /** Creation instant, epoch ms, when known: of two people sharing a number the older wins. */
  readonly createdAt?: number
  /** Its numbers, without duplicates; values that are not possible numbers are left out. */
  readonly phones: readonly PersonPhone[]
  /** How many phone values were left out as unreadable. */
  readonly unreadable: number
}

/** One page of a module's people (see {@link Crm.listPeople}). */
export interface CrmPeoplePage {
  readonly people: readonly CrmPersonPhones[]
  /** Pass it back for the next page; absent on the last page. */
  readonly next?: string
}

/** A lead to create for an unknown caller. */
export interface NewLead {
  readonly lastName: string
  readonly firstName?: string
  /** E.164, e.g. `+14155550123`. */
  readonly phone: string
  readonly leadSource?: string
  readonly ownerId?: string
  readonly description?: string
  readonly company?: string
}

/** One finished (or missed) call, logged against a person. */
export interface CallActivity {
  readonly person: CrmPerson
  readonly subject: string
  readonly callType: 'Inbound' | 'Outbound' | 'Missed'
  /** ISO 8601 instant, e.g. `2025-01-10T10:15:00Z`. */
  readonly startTime: string
  /** Whole seconds; 0 for a missed call. */
  readonly durationS: number
  readonly description?: string
  readonly ownerId?: string
}

/** A file to attach to a person (a call recording): streamed, never buffered whole. */
export interface CrmFile {
  readonly filename: string
  readonly contentType: string
  /** Bytes in `body`, when known: lets the adapter reject oversize files before sending. */
  readonly size?: number
  readonly body: ReadableStream<Uint8Array>
}

/** A change-notification channel (Zoho: a watch channel) to create or renew. */
export interface WatchChannel {
  readonly channelId: string
  /** Provider event names, e.g. `Leads.all`, `Contacts.edit`. */
  readonly events: readonly string[]
  readonly notifyUrl: string
  /** Echoed back in every notification so the gateway can verify it. */
  readonly token: string
  /** Requested expiry; the adapter may shorten it to the provider's maximum. */
  readonly expiresAt: Date
}

/** The CRM as the pipeline sees it. */
export interface Crm {
  /** Finds the person who owns `e164`: Leads first, then Contacts; null when nobody does. */
  findPersonByPhone(e164: string): Promise<CrmPerson | null>
  createLead(lead: NewLead): Promise<CrmPerson>
  /**
   * One page (up to 200) of the people of `module` with their numbers, read as stored (no search
   * index lag). Pass the page's `next` back for the following page. Converted leads are left out.
   */
  listPeople(module: PersonModule, next?: string): Promise<CrmPeoplePage>
  /** The current data of these people (no index lag); ids that no longer exist are left out. */
  getPeople(module: PersonModule, ids: readonly string[]): Promise<CrmPersonPhones[]>
  logCall(call: CallActivity): Promise<{ id: string }>
  addNote(person: CrmPerson, note: { title: string; content: string }): Promise<{ id: string }>
  attachFile(person: CrmPerson, file: CrmFile): Promise<{ id: string }>
  /**
   * The call activity already logged for `person` that started at `query.startTime` and whose
   * description has `query.marker` as one of its lines; null when there is none. Reads the CRM as
   * written (no search index lag), so an activity logged a moment ago is found: this is how an
   * unconfirmed `logCall` is checked before logging it again.
   */
  findCallActivity(
    person: CrmPerson,
    query: { readonly startTime: string; readonly marker: string },
  ): Promise<{ id: string } | null>
  /**
   * The lead created with `query.phone` (E.164, as given to `createLead`) whose description
   * contains `query.marker`, read as written (no search index lag): how an unconfirmed
   * `createLead` is checked before creating the lead again. Null when there is none.
   */
  findCreatedLead(query: {
    readonly phone: string
    readonly marker: string
  }): Promise<CrmPerson | null>
  /** The note on `person` whose content has `marker` as one of its lines; null when none. */
  findNote(person: CrmPerson, marker: string): Promise<{ id: string } | null>
  /** The file attached to `person` under `filename` (with its size when known); null when none. */
  findAttachment(person: CrmPerson, filename: string): Promise<{ id: string; size?: number } | null>
  /** Creates the channel or renews it; resolves to the expiry the CRM actually granted. */
  watchChanges(channel: WatchChannel): Promise<{ expiresAt: Date }>
  readonly health: HealthCheck
}
