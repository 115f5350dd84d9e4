import { Writable } from 'node:stream'
import { context, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { TracerProvider } from '@opentelemetry/sdk-trace'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from './logger.ts'

const collect = () => {
  const lines: Record<string, unknown>[] = []
  const raw: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line)
        lines.push(JSON.parse(line) as Record<string, unknown>)
      }
      done()
    },
  })
  return { lines, raw, destination }
}

const settings = {
  service: 'callbridge',
  role: 'gateway',
  environment: 'test',
  version: '1.2.3',
  level: 'info',
} as const

describe('logger', () => {
  const contextManager = new AsyncLocalStorageContextManager()
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable())
    trace.setGlobalTracerProvider(new TracerProvider())
  })
  afterAll(() => {
    contextManager.disable()
    trace.disable()
    context.disable()
  })

  it('writes JSON lines carrying service, role, environment and version', () => {
    const { lines, destination } = collect()
    createLogger({ ...settings, destination }).info({ correlation_id: 'abc' }, 'hello')
    expect(lines[0]).toMatchObject({
      service: 'callbridge',
      role: 'gateway',
      environment: 'test',
      version: '1.2.3',
      level: 'info',
      msg: 'hello',
      correlation_id: 'abc',
    })
  })

  it('adds trace_id and span_id inside an active span, and none outside', () => {
    const { lines, destination } = collect()
    const log = createLogger({ ...settings, destination })
    const span = trace.getTracer('test').startSpan('work')
    context.with(trace.setSpan(context.active(), span), () => log.info('inside'))
    span.end()
    log.info('outside')
    expect(lines[0]?.['trace_id']).toBe(span.spanContext().traceId)
    expect(lines[0]?.['span_id']).toBe(span.spanContext().spanId)
    expect(lines[1]?.['trace_id']).toBeUndefined()
  })

  it('scrubs tokens, JWTs, Authorization headers and client secrets from every line', () => {
    const { raw, destination } = collect()
    const secret = 'zoho-client-secret-0123456789'
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl'
    const log = createLogger({ ...settings, destination, secrets: [secret] })
    log.info(
      {
        headers: { authorization: 'Bearer abcdef123456', 'verification-token': 'vt-123456' },
        token: 'plain-token-value',
        client_secret: secret,
        nested: { refresh_token: '1000.refresh.value' },
      },
      `refresh failed for ${secret} with ${jwt} via postgres://app:pa55word@db:5432/x`,
    )
    log.error(new Error(`Authorization: Bearer tok_abcdef987654 rejected (${secret})`), 'boom')
    const text = raw.join('\n')
    for (const leaked of [
      secret,
      jwt,
      'abcdef123456',
      'vt-123456',
      'plain-token-value',
      '1000.refresh.value',
      'pa55word',
      'tok_abcdef987654',
    ]) {
      expect(text).not.toContain(leaked)
    }
    expect(text).toContain('[REDACTED]')
    expect(text).toContain('refresh failed for')
  })
})
