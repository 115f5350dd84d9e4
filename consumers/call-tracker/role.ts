/**
 * @module consumers/call-tracker/role
 * The `call-tracker` role: the consumer of `ringcentral.webhooks` (handler.ts) and the call-log
 * reconciler (reconciler.ts), both publishing to `calls.completed`. Stops the reconciler first (no
 * new publications), then the consumer (in-flight events finish and commit), then the client.
 */

import { ringCentralFromConfig } from '../../integrations/from-config.ts'
import type { Config } from '../../platform/config/vars.ts'
import type { Role } from '../../platform/runtime/role.ts'
import { createLedger } from '../ledger/ledger.ts'
import { type BackoffOptions, startConsumer } from '../runtime/index.ts'
import { phoneRegion } from './call-facts.ts'
import { completedEvent } from './complete.ts'
import { callTrackerConsumer, callTrackerJitter } from './handler.ts'
import { startReconciler } from './reconciler.ts'
import { createSessionStore } from './state-store.ts'

/** RECONCILE_INTERVAL_S: seconds between reconciler runs. */
export const reconcileIntervalS = (config: Config): number => config.RECONCILE_INTERVAL_S

/** Settings of {@link createCallTrackerRole}; the defaults are the production ones. */
export interface CallTrackerRoleOptions {
  /** Overrides RECONCILE_INTERVAL_S. */
  readonly reconcileIntervalMs?: number
  /** Handler retries; default 10-30 s apart. */
  readonly backoff?: BackoffOptions
  /** Jitter source of the retries, in [0, 1). Default {@link callTrackerJitter}. */
  readonly random?: () => number
  /** Reconciler: calls that ended less than this ago wait for the next run. Default 120 s. */
  readonly settleMs?: number
}

/**
 * Builds the role with its settings (tests shorten the waits).
 *
 * @example
 * ```ts
 * await runRoles({ roles: [createCallTrackerRole({ reconcileIntervalMs: 60_000 })], config, logger, version })
 * ```
 */
export const createCallTrackerRole = (options: CallTrackerRoleOptions = {}): Role => ({
  name: 'call-tracker',
  summary:
    'folds telephony-session events, waits for the call log and publishes one calls.completed per call; reconciles lost calls from the call log',
  requires: ['RINGCENTRAL_CLIENT_ID', 'RINGCENTRAL_CLIENT_SECRET', 'RINGCENTRAL_JWT'],
  start: async ({ config, logger, bus, kv, db, health, metrics }) => {
    const rc = ringCentralFromConfig(config, kv, logger)
    if (!rc) throw new Error('call-tracker needs RINGCENTRAL_CLIENT_ID, _SECRET and _JWT')
    health.add(rc.health, { readiness: false })
    await bus.ensureTopics([{ name: completedEvent.topic }])
    const ledger = createLedger(db)
    const region = phoneRegion(config.ZOHO_PHONE_REGION)
    let consumer: Awaited<ReturnType<typeof startConsumer>>
    try {
      consumer = await startConsumer({
        bus,
        definition: callTrackerConsumer({
          bus,
          sessions: createSessionStore({ kv }),
          ledger,
          callLog: rc,
          region,
          ...(options.backoff ? { backoff: options.backoff } : {}),
        }),
        logger,
        metrics,
        random: options.random ?? callTrackerJitter,
      })
    } catch (error) {
      rc.close()
      throw error
    }
    const reconciler = startReconciler({
      rc,
      bus,
      kv,
      ledger,
      logger: logger.child({ component: 'reconciler' }),
      region,
      intervalMs: options.reconcileIntervalMs ?? reconcileIntervalS(config) * 1000,
      ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
    })
    return {
      stop: async () => {
        await reconciler.stop()
        await consumer.stop()
        rc.close()
      },
    }
  },
})

/** The `call-tracker` role with production settings. */
export const callTrackerRole: Role = createCallTrackerRole()
