/**
 * @module platform/config/vars
 * Every setting callbridge reads, as one table: its zod schema, default, whether it is a secret,
 * and the words and example that the error messages and docs/configuration.md are made from.
 * Names are hierarchical environment variable names (`KAFKA_BROKERS`, `ZOHO_CLIENT_ID`); a JSON
 * config file may nest them (`{ "zoho": { "client_id": "..." } }`).
 */
import type { z } from 'zod'
import { providerVars } from './vars/providers.ts'
import { roleVars } from './vars/roles.ts'
import type { VarSpec } from './vars/schemas.ts'
import { serviceVars } from './vars/service.ts'
import { telemetryVars } from './vars/telemetry.ts'

export type { VarSpec } from './vars/schemas.ts'

/** The configuration table. Order here is the order of docs/configuration.md. */
export const vars = {
  ...serviceVars,
  ...providerVars,
  ...roleVars,
  ...telemetryVars,
} as const satisfies Record<string, VarSpec>

export type VarName = keyof typeof vars
export const varNames = Object.keys(vars) as VarName[]

/** The parsed configuration: one typed property per variable. */
export type Config = {
  readonly [K in VarName]: (typeof vars)[K] extends { default: string } | { required: true }
    ? z.output<(typeof vars)[K]['schema']>
    : z.output<(typeof vars)[K]['schema']> | undefined
}
