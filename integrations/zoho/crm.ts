/**
 * @module integrations/zoho/crm
 * The Zoho adapter of the CRM port. It speaks CRM-neutral types and errors (every failure goes
 * through `toCrmError`) over the Zoho client. Zoho's search index lags behind writes (a lead
 * created a second ago is not found yet), so leads this adapter creates are remembered in the kv
 * for a while and returned by `findPersonByPhone` before Zoho's search can see them: the same
 * caller calling twice in a row does not become two leads.
 */
import { z } from 'zod'
import type { Crm, CrmPerson, PersonModule } from '../crm/port.ts'
import type { ZohoClient } from './client.ts'
import { asCrmErrors } from './errors.ts'
import { isConverted, personFieldsOf, personPhonesOf } from './people.ts'
import { checkRegion, chooseBestMatch, normalizePhone } from './phone.ts'
import type { PersonRecord } from './schemas.ts'

/** Options for {@link createZohoCrm}. */
export interface ZohoCrmOptions {
  /** Region for numbers without a country code. Default: the client's (`US`). */
  readonly defaultRegion?: string
  /** `Lead_Source` of leads created without one, e.g. `RingCentral`. */
  readonly leadSource?: string
  /** `Company` of leads created without one (mandatory in Zoho's default Leads layout). */
  readonly defaultCompany?: string
  /** How long a created lead is found from the kv while Zoho indexes it. Default 15 minutes. */
  readonly recentLeadTtlMs?: number
}

const RecentPerson = z.object({
  module: z.enum(['Leads', 'Contacts']),
  id: z.string(),
  ownerId: z.string().exactOptional(),
  name: z.string().exactOptional(),
  phone: z.string().exactOptional(),
})

const nameOf = (record: PersonRecord): string | undefined => {
  const full = record.Full_Name ?? [record.First_Name, record.Last_Name].filter(Boolean).join(' ')
  return full ? full : undefined
}

/**
 * Creates the Zoho implementation of the {@link Crm} port.
 * @example
 * const crm = createZohoCrm(createZohoClient({ ... }), { leadSource: 'RingCentral' })
 * const person = (await crm.findPersonByPhone('+14155550123')) ??
 *   (await crm.createLead({ lastName: 'Unknown caller', phone: '+14155550123' }))
 */
export const createZohoCrm = (client: ZohoClient, options: ZohoCrmOptions = {}): Crm => {
  const region =
    options.defaultRegion === undefined ? client.defaultRegion : checkRegion(options.defaultRegion)
  const recentTtlMs = options.recentLeadTtlMs ?? 15 * 60 * 1000
  const recentKey = (e164: string) => `zoho:recent-lead:${e164}`

  const recent = async (e164: string): Promise<CrmPerson | null> => {
    const value = await client.kv.get(recentKey(e164))
    if (value === null) return null
    try {
      const parsed = RecentPerson.safeParse(JSON.parse(value))
      return parsed.success ? parsed.data : null
    } catch {
      return null
    }
  }

  const find = async (module: PersonModule, phone: ReturnType<typeof normalizePhone>) => {
    const records = await client.searchByPhone(module, phone.e164)
    const best = chooseBestMatch(records, phone, region)
    if (!best) return null
    const { record, match } = best
    const name = nameOf(record)
    const person: CrmPerson = {
      module,
      id: record.id,
      ...(record.Owner?.id ? { ownerId: record.Owner.id } : {}),
      ...(name ? { name } : {}),
      phone: match.quality === 3 || match.value === undefined ? phone.e164 : match.value,
    }
    return person
  }

  return {
    findPersonByPhone: (e164) =>
      asCrmErrors(async () => {
        const phone = normalizePhone(e164, region)
        return (
          (await recent(phone.e164)) ??
          (await find('Leads', phone)) ??
          (await find('Contacts', phone))
        )
      }),
    listPeople: (module, next) =>
      asCrmErrors(async () => {
        const page = await client.listRecords(module, personFieldsOf(module), next)
        const people = page.records
          .filter((record) => !isConverted(record))
          .map((record) => personPhonesOf(record, module, region))
        return page.nextPageToken ? { people, next: page.nextPageToken } : { people }
      }),
    getPeople: (module, ids) =>
      asCrmErrors(async () => {
        const records = await client.getRecords(module, ids, personFieldsOf(module))
        return records
          .filter((record) => !isConverted(record))
          .map((record) => personPhonesOf(record, module, region))
      }),
    createLead: (lead) =>
      asCrmErrors(async () => {
        const phone = normalizePhone(lead.phone, region)
        const defaults = {
          ...(options.leadSource ? { leadSource: options.leadSource } : {}),
          ...(options.defaultCompany ? { company: options.defaultCompany } : {}),
        }
        const { id } = await client.createLead({ ...lead, phone: phone.e164 }, defaults)
        const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ')
        const person: CrmPerson = {
          module: 'Leads',
          id,
          ...(lead.ownerId ? { ownerId: lead.ownerId } : {}),
          name,
          phone: phone.e164,
        }
        await client.kv.set(recentKey(phone.e164), JSON.stringify(person), recentTtlMs)
        return person
      }),
    logCall: (call) => asCrmErrors(() => client.logCall(call)),
    addNote: (person, note) => asCrmErrors(() => client.addNote(person.module, person.id, note)),
    attachFile: (person, file) =>
      asCrmErrors(() =>
        client.uploadAttachment(person.module, person.id, {
          filename: file.filename,
          contentType: file.contentType,
          size: file.size,
          body: file.body,
        }),
      ),
    findCallActivity: (person, { startTime, marker }) =>
      asCrmErrors(() => client.findCall({ person, startTime, marker })),
    findCreatedLead: ({ phone, marker }) =>
      asCrmErrors(() =>
        client.findCreatedLead({ phone: normalizePhone(phone, region).e164, marker }),
      ),
    findNote: (person, marker) =>
      asCrmErrors(() => client.findNote(person.module, person.id, marker)),
    findAttachment: (person, filename) =>
      asCrmErrors(() => client.findAttachment(person.module, person.id, filename)),
    watchChanges: (channel) =>
      asCrmErrors(async () => {
        const grant = await client.watch.ensure({
          channelId: channel.channelId,
          events: channel.events,
          notifyUrl: channel.notifyUrl,
          token: channel.token,
          expiresAt: channel.expiresAt,
        })
        return { expiresAt: grant.expiresAt }
      }),
    health: client.health,
  }
}
