/**
 * Polls until `check` returns a truthy value (or stops throwing), then returns it. Tests use this
 * instead of sleeping: it is as fast as the condition and fails with the last error on timeout.
 */
export const waitFor = async <T>(
  check: () => T | Promise<T>,
  { timeoutMs = 15_000, intervalMs = 25, what = 'condition' } = {},
): Promise<NonNullable<T>> => {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError })
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
