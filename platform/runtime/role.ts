/**
 * @module platform/runtime/role
 * What a role is: a named unit of work (gateway, call-tracker, lead-matcher, ...) that the one
 * entry point can run alone or together with others. It gets its ports from the runtime, never
 * builds them, and returns a handle to stop it gracefully.
 */
import type { Hono } from 'hono'
import type { Bus } from '../bus/port.ts'
import type { Config, VarName } from '../config/vars.ts'
import type { Db } from '../db/port.ts'
import type { HealthRegistry } from '../health/routes.ts'
import type { Kv } from '../kv/port.ts'
import type { Logger } from '../log/logger.ts'
import type { Registry } from '../metrics/registry.ts'

export interface RoleContext {
  readonly config: Config
  /** Logger with `role` set to this role's name. */
  readonly logger: Logger
  readonly bus: Bus
  readonly kv: Kv
  readonly db: Db
  /**
   * Dependency checks. The adapters' own checks are listed in /healthz only; a role adds what
   * decides ITS readiness (the gateway: Kafka or the spool; a consumer: Kafka).
   */
  readonly health: HealthRegistry
  /** The process's Prometheus registry (served at /metrics). */
  readonly metrics: Registry
  /** The process's HTTP app: a role with endpoints mounts its routes here. */
  readonly http: Hono
}

export interface RunningRole {
  /**
   * Called once the HTTP server listens: work that needs the process reachable (the RingCentral
   * subscription keeper: RingCentral validates the webhook URL before it creates a subscription).
   */
  onListening?(url: string): void
  /** Graceful stop: finish in-flight work, flush, release. Called in reverse start order. */
  stop(): Promise<void>
}

export interface Role {
  readonly name: string
  readonly summary: string
  /** Variables this role cannot run without; start-up fails, naming them, when they are unset. */
  readonly requires: readonly VarName[]
  start(context: RoleContext): Promise<RunningRole>
}
