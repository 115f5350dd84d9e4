import { describe, expect, it } from 'vitest'
import { isUniqueViolation, sqlState, TransactionAbortedError } from './errors.ts'

describe('database error helpers', () => {
  it('isUniqueViolation recognises SQLSTATE 23505, also in a cause chain', () => {
    const violation = Object.assign(new Error('duplicate key'), {
      code: '23505',
      severity: 'ERROR',
    })
    expect(isUniqueViolation(violation)).toBe(true)
    expect(isUniqueViolation(new Error('wrapped', { cause: violation }))).toBe(true)
  })

  it('isUniqueViolation is false for other errors and non-errors', () => {
    expect(isUniqueViolation(Object.assign(new Error('not null'), { code: '23502' }))).toBe(false)
    expect(isUniqueViolation(new Error('plain'))).toBe(false)
    expect(isUniqueViolation(null)).toBe(false)
    expect(isUniqueViolation('23505')).toBe(false)
  })

  it('sqlState ignores Node system error codes', () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' })
    expect(sqlState(epipe)).toBeUndefined()
    expect(sqlState(new TransactionAbortedError())).toBe('25P02')
  })
})
