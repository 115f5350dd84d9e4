/**
 * @module test/e2e/settle
 * Waiting in end-to-end tests: until a condition holds, or until the pipeline has gone quiet with
 * nothing left to fix; a timeout carries the run's diagnostics.
 */
import { waitFor } from '../wait-for.ts'
import type { Harness } from './harness.ts'

/** {@link waitFor}, with the harness diagnostics in the error when it times out. */
export const until = async <T>(
  harness: Harness,
  check: () => T | Promise<T>,
  options: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<NonNullable<T>> => {
  try {
    const value = await waitFor(check, options)
    harness.mark(options.what)
    return value
  } catch (error) {
    throw new Error(`${String(error)}\n\n${await harness.diagnostics()}`, { cause: error })
  }
}

/**
 * Runs `check` until it returns no problems and the pipeline is quiet, then runs it once more
 * (the final word). On timeout, throws with the last problems and the harness diagnostics.
 */
export const settle = async (
  harness: Harness,
  check: () => Promise<string[]>,
  { timeoutMs, what }: { timeoutMs: number; what: string },
): Promise<void> => {
  let problems: string[] = []
  try {
    await waitFor(
      async () => {
        problems = await check()
        if (problems.length > 0) return false
        if (!(await harness.quiet())) {
          problems = ['the pipeline is not quiet yet (consumer lag above 0)']
          return false
        }
        problems = await check()
        return problems.length === 0
      },
      { timeoutMs, intervalMs: 1_000, what },
    )
    harness.mark(`settled: ${what}`)
  } catch (error) {
    throw new Error(
      `${what}: not reached.\nProblems:\n  - ${problems.join('\n  - ')}\n\n${await harness.diagnostics()}`,
      { cause: error },
    )
  }
}
