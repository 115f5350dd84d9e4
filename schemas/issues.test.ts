import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { formatIssues } from './issues.ts'

describe('formatIssues', () => {
  it('writes each issue as path: message on one line, with array indexes in brackets', () => {
    const schema = z.object({ a: z.array(z.object({ b: z.string() })), c: z.number() })
    const result = schema.safeParse({ a: [{ b: 1 }], c: 'x' })
    expect(result.success).toBe(false)
    if (!result.success) {
      expect(formatIssues(result.error)).toBe(
        'a[0].b: Invalid input: expected string, received number; c: Invalid input: expected number, received string',
      )
    }
  })

  it('names the root when the whole value is wrong', () => {
    const result = z.object({}).safeParse(null)
    if (!result.success) expect(formatIssues(result.error)).toMatch(/^\(root\): /)
  })
})
