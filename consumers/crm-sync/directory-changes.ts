/**
 * @module consumers/crm-sync/directory-changes
 * What a Zoho notification means for the phone directory (pure), when crm-sync can read Zoho:
 *
 * - `delete`: forget the records' numbers (nothing to read);
 * - `insert` whose `affected_fields` name no phone field: nothing (the new records have no
 *   number); otherwise refresh them;
 * - `update` whose `affected_fields` touch no cached fact (phones, owner, name, conversion):
 *   nothing; otherwise, and for any other operation, refresh them: read them by id (Get Records,
 *   no index lag) and write their current numbers.
 */
import type { PersonModule } from '../../integrations/crm/port.ts'
import type { ZohoNotification } from '../../schemas/zoho/notification.ts'
import { affectedFieldsById, touchesCache } from './changes.ts'

/** The directory work a notification asks for. */
export type DirectoryAction =
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'forget'; readonly module: PersonModule; readonly ids: readonly string[] }
  | { readonly kind: 'refresh'; readonly module: PersonModule; readonly ids: readonly string[] }

const phoneField = /phone|mobile|fax/i

/**
 * @example
 * ```ts
 * directoryActionOf({ module: 'Leads', operation: 'update', ids: ['48768'] })
 * // { kind: 'refresh', module: 'Leads', ids: ['48768'] }
 * ```
 */
export const directoryActionOf = (
  notification: Pick<ZohoNotification, 'module' | 'operation' | 'ids' | 'affected_fields'>,
): DirectoryAction => {
  const { module, operation } = notification
  if (module !== 'Leads' && module !== 'Contacts') {
    return { kind: 'ignore', reason: `${module} records are not in the directory` }
  }
  const ids = [...new Set(notification.ids.map(String))]
  if (operation === 'delete') return { kind: 'forget', module, ids }
  const affected = affectedFieldsById(notification.affected_fields)
  const relevant = ids.filter((id) => {
    const fields = affected?.get(id)
    if (!fields) return true
    if (operation === 'insert') return Object.keys(fields).some((name) => phoneField.test(name))
    return touchesCache(fields)
  })
  if (relevant.length > 0) return { kind: 'refresh', module, ids: relevant }
  return {
    kind: 'ignore',
    reason:
      operation === 'insert'
        ? 'the new records carry no phone numbers in affected_fields'
        : 'no cached field changed',
  }
}
