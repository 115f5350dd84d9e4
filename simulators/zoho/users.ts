/**
 * @module simulators/zoho/users
 * `GET /crm/v8/users` (`type=CurrentUser` gives the grant's user; `ActiveUsers`, `AllUsers` and
 * the like give everyone; deactivated or unconfirmed: 204), `GET /crm/v8/users/{id}`, and a
 * minimal `GET /crm/v8/org`, which the official SDK calls after each token refresh.
 */
import type { Hono } from 'hono'
import type { Deps } from './deps.ts'
import { zohoDateTime } from './format.ts'
import { currentUser, fullName, type SimUser } from './users-data.ts'

const ORG = {
  id: '5725767000000000001',
  zgid: '60000572576',
  company_name: 'Callbridge Simulated Org',
  primary_email: 'averycallbridge@example.com',
  time_zone: 'UTC',
  iso_code: 'USD',
  currency_symbol: '$',
  country_code: 'US',
  domain_name: 'org60000572576',
  type: 'production',
}

const NONE = ['DeactiveUsers', 'NotConfirmedUsers']

export const presentUser = (user: SimUser, admin: SimUser, createdAt: number) => ({
  id: user.id,
  zuid: `70${user.id.slice(-9)}`,
  first_name: user.firstName,
  last_name: user.lastName,
  full_name: fullName(user),
  email: user.email,
  status: 'active',
  confirm: true,
  role: user.role,
  profile: user.profile,
  language: 'en_US',
  locale: 'en_US',
  country_locale: 'en_US',
  created_time: zohoDateTime(createdAt),
  Modified_Time: zohoDateTime(createdAt),
  created_by: { name: fullName(admin), id: admin.id },
  Modified_By: {
    name: fullName(admin),
    id: admin.id,
    first_name: admin.firstName,
    last_name: admin.lastName,
  },
  Isonline: false,
  personal_account: false,
  sandboxDeveloper: false,
  microsoft: false,
})

export const registerUserRoutes = (app: Hono, { state, options }: Deps) => {
  const bootedAt = options.now()
  app.get('/crm/v8/users', (c) => {
    const type = c.req.query('type') ?? 'AllUsers'
    const admin = currentUser(state.users)
    const users = type === 'CurrentUser' ? [admin] : NONE.includes(type) ? [] : state.users
    if (users.length === 0) return c.body(null, 204)
    return c.json({
      users: users.map((user) => presentUser(user, admin, bootedAt)),
      info: { per_page: 200, count: users.length, page: 1, more_records: false },
    })
  })
  app.get('/crm/v8/users/:id', (c) => {
    const user = state.users.find((candidate) => candidate.id === c.req.param('id'))
    if (!user) return c.body(null, 204)
    return c.json({ users: [presentUser(user, currentUser(state.users), bootedAt)] })
  })
  app.get('/crm/v8/org', (c) => c.json({ org: [ORG] }))
}
