/**
 * @module consumers/lead-matcher/owner-routing
 * Who owns a lead created for an unknown caller: the Zoho user mapped to the extension that took
 * the call, else the configured default owner, else the next of the round-robin owners (the
 * counter is in the kv, so replicas take turns together), else nobody (Zoho assigns the API user).
 */
import type { Kv } from '../../platform/kv/port.ts'
import type { LeadMatcherOptions } from './options.ts'

/** Which rule chose the owner (for logs). */
export type OwnerRule = 'extension' | 'default' | 'round-robin' | 'none'

/** The routed owner of a new lead. */
export interface RoutedOwner {
  readonly ownerId: string | undefined
  readonly rule: OwnerRule
}

/** The kv counter of the round robin. */
export const roundRobinKey = 'lead-matcher:round-robin'

/**
 * Routes new leads to owners.
 * @example
 * ```ts
 * const route = createOwnerRouter(kv, { extensionOwners: { '2002': '4876876000000225013' }, roundRobinOwnerIds: [] })
 * await route('2002') // { ownerId: '4876876000000225013', rule: 'extension' }
 * ```
 */
export const createOwnerRouter =
  (
    kv: Kv,
    options: Pick<LeadMatcherOptions, 'extensionOwners' | 'defaultOwnerId' | 'roundRobinOwnerIds'>,
  ) =>
  async (extensionId: string | null): Promise<RoutedOwner> => {
    const mapped = extensionId === null ? undefined : options.extensionOwners[extensionId]
    if (mapped) return { ownerId: mapped, rule: 'extension' }
    if (options.defaultOwnerId) return { ownerId: options.defaultOwnerId, rule: 'default' }
    const owners = options.roundRobinOwnerIds
    if (owners.length === 0) return { ownerId: undefined, rule: 'none' }
    const turn = await kv.increment(roundRobinKey)
    return { ownerId: owners[(turn - 1) % owners.length], rule: 'round-robin' }
  }
