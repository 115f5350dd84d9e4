/**
 * @module simulators/zoho/settings
 * `GET /crm/v8/settings/modules`, `…/settings/modules/{api_name}` and
 * `GET /crm/v8/settings/fields?module=` (module missing → 400 REQUIRED_PARAM_MISSING, unknown →
 * 400 INVALID_MODULE). The official SDK reads these to learn field types before any record call.
 */
import type { Hono } from 'hono'
import type { Deps } from './deps.ts'
import { errors } from './errors.ts'
import { fieldDescriptor, moduleDescriptor } from './metadata.ts'
import { findModule, moduleDefs } from './modules.ts'
import { currentUser } from './users-data.ts'

export const registerSettingsRoutes = (app: Hono, { state }: Deps) => {
  const admin = () => currentUser(state.users)
  app.get('/crm/v8/settings/modules', (c) =>
    c.json({ modules: moduleDefs.map((module, i) => moduleDescriptor(module, i, admin())) }),
  )
  app.get('/crm/v8/settings/modules/:name', (c) => {
    const module = findModule(c.req.param('name'))
    if (!module) return c.body(null, 204)
    return c.json({ modules: [moduleDescriptor(module, moduleDefs.indexOf(module), admin())] })
  })
  app.get('/crm/v8/settings/fields', (c) => {
    const name = c.req.query('module')
    if (!name) throw errors.missingParam('module')
    const module = findModule(name)
    if (!module) throw errors.invalidModule()
    const index = moduleDefs.indexOf(module)
    return c.json({
      fields: module.fields.map((field, i) => fieldDescriptor(field, index, i, admin())),
    })
  })
}
