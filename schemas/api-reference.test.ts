import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { apiReference } from './api-reference.ts'

describe('docs/api.md', () => {
  it('matches the reference generated from the schemas (run `npm run docs:api` after changing them)', () => {
    const committed = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8')
    expect(committed.trim()).toBe(apiReference().trim())
  })

  it('lists every topic with the JSON Schema of its value', () => {
    const page = apiReference()
    for (const topic of [
      'ringcentral.webhooks',
      'zoho.webhooks',
      'calls.completed',
      'calls.matched',
      'recordings.attached',
    ]) {
      expect(page).toContain(`### ${topic}`)
    }
    expect(page).toContain('"telephonySessionId"')
  })
})
