/**
 * @module schemas/issues
 * One-line, human-readable validation errors: `path: message; path: message`. Parked events carry
 * this text on the `.invalid` topics, and the gateway logs it, so it must read well on one line.
 */
import type { z } from 'zod'

const pathText = (path: readonly PropertyKey[]): string => {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else text += text === '' ? String(segment) : `.${String(segment)}`
  }
  return text === '' ? '(root)' : text
}

/**
 * Formats every issue of a zod error as `path: message`, joined by `; `.
 *
 * @example
 * ```ts
 * const result = RingCentralEnvelope.safeParse({ event: 5 })
 * if (!result.success) formatIssues(result.error)
 * // 'uuid: Invalid input: expected string, received undefined; event: Invalid input: …'
 * ```
 */
export const formatIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`).join('; ')

/** The failure branch shared by every `parse…Notification` function. */
export interface ParseFailure {
  readonly ok: false
  /** Human-readable, one line: what was wrong and where. */
  readonly error: string
}
