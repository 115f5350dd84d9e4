/**
 * @module cli/roles
 * The roles this build can run. A role appears here once it exists; `callbridge all` runs them all.
 */
import { callTrackerRole } from '../consumers/call-tracker/role.ts'
import { crmSyncRole } from '../consumers/crm-sync/role.ts'
import { leadMatcherRole } from '../consumers/lead-matcher/role.ts'
import { notifierRole } from '../consumers/notifier/role.ts'
import { recordingAttacherRole } from '../consumers/recording-attacher/role.ts'
import { gatewayRole } from '../gateway/role.ts'
import type { Role } from '../platform/runtime/role.ts'

export const availableRoles = (): readonly Role[] => [
  gatewayRole,
  callTrackerRole,
  leadMatcherRole,
  crmSyncRole,
  recordingAttacherRole,
  notifierRole,
]
