import { defineConfig } from 'vitest/config'

/**
 * Two projects: `unit` (pure and in-process tests, `*.test.ts`) and `int` (tests that need a real
 * Kafka, Redis or PostgreSQL, `*.int.test.ts`). `npm test` runs both; .ci/run sets
 * CALLBRIDGE_REQUIRE_SERVICES=1 so a missing service fails the int project instead of skipping it.
 */
const exclude = ['**/node_modules/**', '.kafka-local/**', '.data/**']
// CI runs on 2 shared cores: a test that waits on timing (retries, brokers) gets one more try
// there, as trigger.dev does. Locally a flaky test fails at once, to be fixed.
const retry = process.env['CI'] ? 1 : 0

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          retry,
          include: ['**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'int',
          retry,
          include: ['**/*.int.test.ts'],
          exclude,
          testTimeout: 60_000,
          hookTimeout: 90_000,
          // Integration tests share one broker, one Redis and one database: run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
})
