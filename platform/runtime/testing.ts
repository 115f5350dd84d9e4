/**
 * @module platform/runtime/testing
 * A role's context for tests that start a role directly: the given adapters and configuration,
 * plus a silent logger, fresh health and metrics registries and an empty HTTP app. Only tests
 * import this file.
 */
import { Hono } from 'hono'
import { createHealthRegistry } from '../health/routes.ts'
import { createLogger } from '../log/logger.ts'
import { createMetricsRegistry } from '../metrics/registry.ts'
import type { RoleContext } from './role.ts'

/** The context `role.start` receives, with test defaults for what is not given. */
export const testRoleContext = (
  parts: Pick<RoleContext, 'config' | 'bus' | 'kv' | 'db'> & Partial<RoleContext>,
): RoleContext => ({
  logger: createLogger({ service: 'test', environment: 'test', version: 'test', level: 'silent' }),
  health: createHealthRegistry(),
  metrics: createMetricsRegistry({ defaults: false }),
  http: new Hono(),
  ...parts,
})
