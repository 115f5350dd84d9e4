/**
 * @module gateway/role
 * The `gateway` role: wires the ingest core to the process's ports (bus, kv), the spool and its
 * drainer, mounts the webhook routes, and stops in the right order: no new requests (the runtime
 * closes the server), flush the batches, stop the drainer, close the spool.
 */
import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import path from 'node:path'
import { timedCheck } from '../platform/health/check.ts'
import { type PeriodicJob, startPeriodicJob } from '../platform/runtime/periodic.ts'
import type { Role } from '../platform/runtime/role.ts'
import { topicNames } from '../schemas/topics.ts'
import { zohoChannelTokenKey } from './channel-token.ts'
import { createDedup } from './dedup/dedup.ts'
import { createAuthThrottle } from './ingest/auth-throttle.ts'
import type { IngestPorts } from './ingest/ports.ts'
import { keepersFromConfig } from './keepers/from-config.ts'
import { createGatewayMetrics } from './metrics.ts'
import { createBatcher } from './publish/batcher.ts'
import { createDurablePublisher } from './publish/durable.ts'
import { webhookRoutes } from './routes/webhooks.ts'
import { openSpool, startDrainer } from './spool/index.ts'

const writable = (dir: string) =>
  access(dir, constants.W_OK).then(
    () => true,
    () => false,
  )

export const gatewayRole: Role = {
  name: 'gateway',
  summary: 'accepts RingCentral and Zoho webhooks, verifies, dedupes and publishes them to Kafka',
  requires: ['RINGCENTRAL_WEBHOOK_TOKEN'],
  start: async ({ config, logger, bus, kv, health, metrics: registry, http }) => {
    // Not awaited for long: the gateway must start (and spool) while Kafka is down; the drainer
    // publishes once the topics exist.
    const ensureTopics = async (attempt = 1): Promise<void> => {
      try {
        await bus.ensureTopics(Object.values(topicNames).map((name) => ({ name })))
      } catch (error) {
        logger.warn({ err: error, attempt }, 'could not create the webhook topics yet; retrying')
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(30_000, 1000 * 2 ** attempt)).unref(),
        )
        return ensureTopics(attempt + 1)
      }
    }
    // Wait a little for them (the usual case: Kafka is up), then go on without.
    const topicsReady = ensureTopics()
    await Promise.race([topicsReady, new Promise((resolve) => setTimeout(resolve, 5_000).unref())])
    const spoolDir = config.SPOOL_DIR ?? path.join(config.DATA_DIR, 'spool')
    const spool = await openSpool({ dir: path.resolve(spoolDir) })
    const metrics = createGatewayMetrics({ registry, logger, spoolStats: () => spool.stats() })
    const batcher = createBatcher({
      publish: (topic, messages) => bus.publish(topic, messages),
      maxMessages: config.BATCH_MAX_MESSAGES,
      lingerMs: config.BATCH_LINGER_MS,
      onFlush: (_topic, size) => metrics.batch(size),
    })
    const drainer = startDrainer({
      spool,
      publish: (topic, messages) => bus.publish(topic, messages),
      onError: (error) =>
        logger.warn({ err: error, spool: spool.stats() }, 'spool drain failed; will retry'),
      onDrained: (count) => logger.info({ count }, 'spool drained to Kafka'),
    })
    let lastSpoolLog = 0
    const durable = createDurablePublisher({
      batcher,
      spool,
      budgetMs: config.PUBLISH_BUDGET_MS,
      onSpooled: (reason) => {
        drainer.wake()
        if (Date.now() - lastSpoolLog > 10_000) {
          lastSpoolLog = Date.now()
          logger.warn(
            { reason, spool: spool.stats() },
            'Kafka unavailable or slow: events go to the local spool',
          )
        }
      },
    })
    const ports: IngestPorts = {
      durable,
      dedup: createDedup({
        kv,
        windowMs: config.DEDUP_WINDOW_S * 1000,
        pendingMs: config.PUBLISH_BUDGET_MS * 2 + 5_000,
      }),
      throttle: createAuthThrottle({
        kv,
        limit: config.AUTH_FAILURE_LIMIT,
        windowMs: config.AUTH_FAILURE_WINDOW_S * 1000,
      }),
      observer: metrics.observer,
      now: () => new Date(),
    }
    http.route(
      '/',
      webhookRoutes({
        ports,
        ringcentral: { tokens: config.RINGCENTRAL_WEBHOOK_TOKEN ?? [] },
        zoho: {
          ...(config.ZOHO_WEBHOOK_TOKEN ? { configToken: config.ZOHO_WEBHOOK_TOKEN } : {}),
          ...(config.ZOHO_WEBHOOK_QUERY_SECRET
            ? { querySecret: config.ZOHO_WEBHOOK_QUERY_SECRET }
            : {}),
          channelTokens: async (channelId) => {
            const token = await kv.get(zohoChannelTokenKey(channelId))
            return token ? [token] : []
          },
        },
        maxBodyBytes: config.WEBHOOK_MAX_BODY_BYTES,
        trustProxy: config.TRUST_PROXY,
        metrics,
        logger,
      }),
    )

    // Ready while events can be made durable: Kafka answers, or the spool can take them.
    health.add({
      name: 'ingest',
      check: () =>
        timedCheck(async () => {
          const kafka = await bus.health.check()
          const stats = spool.stats()
          if (!kafka.ok && !(await writable(spoolDir))) {
            throw new Error(`Kafka unavailable (${kafka.error}) and the spool is not writable`)
          }
          return { kafka: kafka.ok ? 'up' : 'down', spool: stats }
        }),
    })
    health.add(
      {
        name: 'spool',
        check: () =>
          timedCheck(async () => {
            const stats = spool.stats()
            const ageS =
              stats.oldestSpooledAt === null
                ? 0
                : Math.round((Date.now() - stats.oldestSpooledAt) / 1000)
            return { depth: stats.records, bytes: stats.bytes, oldestAgeS: ageS, dir: spoolDir }
          }),
      },
      { readiness: false },
    )

    const keepers = keepersFromConfig(config, kv, logger)
    for (const check of keepers.health) health.add(check, { readiness: false })
    for (const reason of keepers.skipped) logger.info(`keeper not running: ${reason}`)
    const jobs: PeriodicJob[] = []

    return {
      onListening: () => {
        const every = config.SUBSCRIPTION_CHECK_INTERVAL_S * 1000
        const { ringcentral, zoho } = keepers
        if (ringcentral) {
          jobs.push(
            startPeriodicJob({
              name: 'ringcentral-subscription',
              kv,
              intervalMs: every,
              logger,
              run: async () => {
                await ringcentral.ensure()
              },
            }),
          )
        }
        if (zoho) {
          jobs.push(
            startPeriodicJob({
              name: 'zoho-watch-channel',
              kv,
              intervalMs: every,
              logger,
              run: async () => {
                await zoho.ensure()
              },
            }),
          )
        }
      },
      stop: async () => {
        await Promise.all(jobs.map((job) => job.stop()))
        keepers.close()
        await batcher.drain()
        await drainer.stop()
        await spool.close()
      },
    }
  },
}
