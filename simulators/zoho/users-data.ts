/**
 * @module simulators/zoho/users-data
 * The org's users: the current user (who owns the refresh token, and every record it creates)
 * and three agents leads can be assigned to.
 */

export interface SimUser {
  readonly id: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly role: { readonly id: string; readonly name: string }
  readonly profile: { readonly id: string; readonly name: string }
  /** The user the simulator's OAuth grant belongs to. */
  readonly current: boolean
}

const ADMIN_ROLE = { id: '5725767000000015969', name: 'CEO' }
const AGENT_ROLE = { id: '5725767000000015972', name: 'Sales Agent' }
const ADMIN_PROFILE = { id: '5725767000000015975', name: 'Administrator' }
const AGENT_PROFILE = { id: '5725767000000015978', name: 'Standard' }

export const defaultUsers: readonly SimUser[] = [
  {
    id: '5725767000000300001',
    firstName: 'Avery',
    lastName: 'Callbridge',
    email: 'averycallbridge@example.com',
    role: ADMIN_ROLE,
    profile: ADMIN_PROFILE,
    current: true,
  },
  {
    id: '5725767000000300002',
    firstName: 'Bianca',
    lastName: 'Okafor',
    email: 'biancaokafor@example.com',
    role: AGENT_ROLE,
    profile: AGENT_PROFILE,
    current: false,
  },
  {
    id: '5725767000000300003',
    firstName: 'Chen',
    lastName: 'Takahashi',
    email: 'chentakahashi@example.com',
    role: AGENT_ROLE,
    profile: AGENT_PROFILE,
    current: false,
  },
  {
    id: '5725767000000300004',
    firstName: 'Dario',
    lastName: 'Lindqvist',
    email: 'dariolindqvist@example.com',
    role: AGENT_ROLE,
    profile: AGENT_PROFILE,
    current: false,
  },
]

export const fullName = (user: SimUser): string => `${user.firstName} ${user.lastName}`

/** `{ name, id, email }` as records carry it in `Owner`, `Created_By`, `Modified_By`. */
export const userRef = (user: SimUser) => ({ name: fullName(user), id: user.id, email: user.email })

export const currentUser = (users: readonly SimUser[]): SimUser => {
  const user = users.find((candidate) => candidate.current)
  if (!user) throw new Error('no current user')
  return user
}
