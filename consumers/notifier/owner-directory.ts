/**
 * @module consumers/notifier/owner-directory
 * The owner directory port: who a CRM owner id is, as far as notifications need it. The CRM port
 * gives the owner's id only; this port turns it into an e-mail address, a mobile number and a name.
 * The first implementation reads a configured map (OWNER_DIRECTORY); one backed by the CRM's
 * users API can replace it without touching the notifier.
 */

/** How to reach a person. Every field is optional: channels use what is there. */
export interface OwnerContact {
  readonly email?: string
  /** E.164, for SMS. */
  readonly mobile?: string
  readonly name?: string
}

/** Looks CRM owners up. */
export interface OwnerDirectory {
  /** The owner's contact, or undefined when the directory does not know the id. */
  lookup(ownerId: string): Promise<OwnerContact | undefined>
}

/**
 * A directory over a fixed map (from configuration).
 *
 * @example
 * ```ts
 * const directory = createStaticOwnerDirectory(new Map([['4150868000000225013', { email: 'ana@example.com' }]]))
 * await directory.lookup('4150868000000225013') // { email: 'ana@example.com' }
 * ```
 */
export const createStaticOwnerDirectory = (
  owners: ReadonlyMap<string, OwnerContact>,
): OwnerDirectory => ({
  lookup: async (ownerId) => owners.get(ownerId),
})

/**
 * The recipient of a notification: the owner's contact where the directory knows a field, the
 * fallback's for every field it does not (an owner without a mobile gets the e-mail, and the SMS
 * goes to the fallback mobile). No owner id or an unknown one: the fallback.
 */
export const resolveRecipient = async (
  directory: OwnerDirectory,
  ownerId: string | undefined,
  fallback: OwnerContact,
): Promise<{ readonly recipient: OwnerContact; readonly owner: OwnerContact | undefined }> => {
  const owner = ownerId === undefined ? undefined : await directory.lookup(ownerId)
  const email = owner?.email ?? fallback.email
  const mobile = owner?.mobile ?? fallback.mobile
  const name = owner?.name ?? fallback.name
  return {
    owner,
    recipient: {
      ...(email === undefined ? {} : { email }),
      ...(mobile === undefined ? {} : { mobile }),
      ...(name === undefined ? {} : { name }),
    },
  }
}
