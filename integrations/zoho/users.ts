/**
 * @module integrations/zoho/users
 * CRM users: the one the token belongs to (`type=CurrentUser`) and the org's users (paged, 200 a
 * page), e.g. to route missed calls to an owner.
 */
import { ZohoApiError } from './errors.ts'
import { apiBase } from './paths.ts'
import { UsersResponse, type ZohoUser } from './schemas.ts'
import type { ZohoTransport } from './transport.ts'

/** Zoho's user list filters. */
export type ZohoUserType = 'AllUsers' | 'ActiveUsers' | 'AdminUsers' | 'CurrentUser'

const page = async (
  transport: ZohoTransport,
  type: ZohoUserType,
  number: number,
): Promise<{ users: ZohoUser[]; more: boolean }> => {
  const response = await transport.request({
    operation: 'users',
    method: 'GET',
    path: `${apiBase}/users`,
    query: { type, page: String(number), per_page: '200' },
  })
  if (response.status === 204 || response.body === null) return { users: [], more: false }
  const parsed = UsersResponse.safeParse(response.body)
  if (!parsed.success) {
    throw new ZohoApiError({
      code: 'UNEXPECTED_RESPONSE',
      status: response.status,
      message: 'users: answer has no readable users[]',
    })
  }
  return { users: parsed.data.users, more: parsed.data.info?.more_records === true }
}

/** The user the OAuth token acts as. */
export const currentUser = async (transport: ZohoTransport): Promise<ZohoUser> => {
  const { users } = await page(transport, 'CurrentUser', 1)
  const [user] = users
  if (!user) {
    throw new ZohoApiError({
      code: 'UNEXPECTED_RESPONSE',
      status: 200,
      message: 'users: Zoho returned no current user',
    })
  }
  return user
}

/** Every user of the given type (default active users), all pages. */
export const listUsers = async (
  transport: ZohoTransport,
  type: ZohoUserType = 'ActiveUsers',
): Promise<ZohoUser[]> => {
  const all: ZohoUser[] = []
  for (let number = 1; ; number += 1) {
    const { users, more } = await page(transport, type, number)
    all.push(...users)
    if (!more || users.length === 0) return all
  }
}
