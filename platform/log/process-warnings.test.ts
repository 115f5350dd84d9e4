import { EventEmitter } from 'node:events'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from './logger.ts'
import { routeProcessWarnings } from './process-warnings.ts'

const capture = (level: 'debug' | 'info') => {
  const lines: Record<string, unknown>[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
      done()
    },
  })
  const logger = createLogger({
    service: 'callbridge',
    environment: 'test',
    version: 'test',
    level,
    destination,
  })
  return { lines, logger }
}

const warning = (name: string, message: string, code?: string) =>
  Object.assign(new Error(message), { name }, code ? { code } : {})

describe('process warnings', () => {
  it('become JSON log lines at warn instead of free text on stderr', () => {
    const { lines, logger } = capture('info')
    const target = new EventEmitter()
    const printed: Error[] = []
    target.on('warning', (w: Error) => printed.push(w))
    routeProcessWarnings(logger, target)
    target.emit('warning', warning('DeprecationWarning', 'Buffer() is deprecated', 'DEP0005'))
    expect(printed).toEqual([])
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      level: 'warn',
      msg: 'process warning',
      warning: { name: 'DeprecationWarning', message: 'Buffer() is deprecated', code: 'DEP0005' },
    })
  })

  it("log kafkajs's negative-timeout warning once, at debug, with the explanation", () => {
    const { lines, logger } = capture('debug')
    const target = new EventEmitter()
    routeProcessWarnings(logger, target)
    for (const n of [-5, -7, -9]) {
      target.emit('warning', warning('TimeoutNegativeWarning', `${n} is a negative number.`))
    }
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'debug', warning: { name: 'TimeoutNegativeWarning' } })
    expect(String(lines[0]?.['explanation'])).toContain('kafkajs')
  })

  it('put the previous listeners back when undone', () => {
    const { lines, logger } = capture('info')
    const target = new EventEmitter()
    const printed: string[] = []
    target.on('warning', (w: Error) => printed.push(w.message))
    const undo = routeProcessWarnings(logger, target)
    undo()
    target.emit('warning', warning('Warning', 'after undo'))
    expect(printed).toEqual(['after undo'])
    expect(lines).toEqual([])
  })
})
