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
  logCall(call: CallActivity): Promise<{ id: string }>
  addNote(person: CrmPerson, note: { title: string; content: string }): Promise<{ id: string }>
  attachFile(person: CrmPerson, file: CrmFile): Promise<{ id: string }>
  /** Creates the channel or renews it; resolves to the expiry the CRM actually granted. */
  watchChanges(channel: WatchChannel): Promise<{ expiresAt: Date }>
  readonly health: HealthCheck
}
