/**
 * @module cli/roles
 * The roles this build can run. A role appears here once it exists; `callbridge all` runs them all.
 */
import { gatewayRole } from '../gateway/role.ts'
import type { Role } from '../platform/runtime/role.ts'

export const availableRoles = (): readonly Role[] => [gatewayRole]
