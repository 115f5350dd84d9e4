/**
 * @module integrations/zoho/lead-lookup
 * Finds a lead this integration created, through COQL (no search-index lag): the leads whose
 * `Phone` is the E.164 number the lead was created with, narrowed to the one whose description
 * carries the marker (the RingCentral session it was created for). Used when a lead's creation
 * was never confirmed (the worker died, or Zoho answered 5xx after applying it).
 */
import type { CrmPerson } from '../crm/port.ts'
import { type CoqlRow, coqlFind, coqlString } from './coql.ts'
import type { ZohoTransport } from './transport.ts'

/** What {@link findCreatedLead} looks for. */
export interface CreatedLeadLookup {
  /** The number exactly as the lead was created with (E.164). */
  readonly phone: string
  /** Text the lead's description contains, e.g. `(RingCentral session s-1)`. */
  readonly marker: string
}

export const createdLeadQuery = ({ phone }: CreatedLeadLookup): string =>
  `select id, Full_Name, Owner, Phone, Description from Leads where Phone = ${coqlString(phone)}`

const ownerIdOf = (row: CoqlRow): string | undefined => {
  const owner = row['Owner']
  return typeof owner === 'object' && owner !== null && 'id' in owner ? String(owner.id) : undefined
}

/** The lead created with `phone` whose description contains `marker`, or null. */
export const findCreatedLead = async (
  transport: ZohoTransport,
  lookup: CreatedLeadLookup,
): Promise<CrmPerson | null> => {
  const row = await coqlFind(
    transport,
    createdLeadQuery(lookup),
    (candidate) => String(candidate['Description'] ?? '').includes(lookup.marker),
    'findCreatedLead',
  )
  if (!row) return null
  const ownerId = ownerIdOf(row)
  const name = typeof row['Full_Name'] === 'string' ? row['Full_Name'] : undefined
  return {
    module: 'Leads',
    id: row.id,
    ...(ownerId ? { ownerId } : {}),
    ...(name ? { name } : {}),
    phone: lookup.phone,
  }
}
