import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { configurationReference, envExample, formatEffectiveConfig, REDACTED } from './describe.ts'
import { ConfigError, loadConfig } from './load.ts'
import { ConfigFileError } from './sources.ts'

const emptyDir = () => mkdtempSync(path.join(os.tmpdir(), 'callbridge-config-'))

describe('loadConfig', () => {
  it('applies the defaults when nothing is set', () => {
    const { config, origin } = loadConfig({ env: {}, cwd: emptyDir() })
    expect(config.PORT).toBe(3000)
    expect(config.KAFKA_BROKERS).toBeUndefined()
    expect(origin.PORT).toEqual({ source: 'default' })
  })

  it('prefers the environment over .env, .env over the config file, the file over defaults', () => {
    const cwd = emptyDir()
    writeFileSync(path.join(cwd, '.env'), 'PORT=4001\nLOG_LEVEL=debug\n')
    writeFileSync(
      path.join(cwd, 'config.json'),
      JSON.stringify({ PORT: 4002, LOG_LEVEL: 'warn', HOST: '127.0.0.1' }),
    )
    const { config, origin } = loadConfig({ env: { PORT: '4000' }, cwd })
    expect(config.PORT).toBe(4000)
    expect(config.LOG_LEVEL).toBe('debug')
    expect(config.HOST).toBe('127.0.0.1')
    expect(origin.PORT?.source).toBe('environment')
    expect(origin.LOG_LEVEL?.source).toBe('.env file')
    expect(origin.HOST?.source).toBe('config file')
  })

  it('reads the nested keys of an old-style config.json as hierarchical names', () => {
    const cwd = emptyDir()
    const file = path.join(cwd, 'legacy.json')
    writeFileSync(
      file,
      JSON.stringify({
        zoho: { client_id: 'zid', accounts_url: 'https://accounts.zoho.eu' },
        kafka: { brokers: ['a:1', 'b:2'] },
      }),
    )
    const { config } = loadConfig({ env: { CONFIG_FILE: file }, cwd })
    expect(config.ZOHO_CLIENT_ID).toBe('zid')
    expect(config.ZOHO_ACCOUNTS_URL).toBe('https://accounts.zoho.eu')
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2'])
  })

  it('splits comma-separated lists and trims them', () => {
    const { config } = loadConfig({
      env: {
        KAFKA_BROKERS: ' 127.0.0.1:9092 , 127.0.0.1:9093',
        RINGCENTRAL_WEBHOOK_TOKEN: 'new,old',
      },
      cwd: emptyDir(),
    })
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9093'])
    expect(config.RINGCENTRAL_WEBHOOK_TOKEN).toEqual(['new', 'old'])
  })

  it('reports every problem at once, naming the variable, the problem, the source and an example', () => {
    const cwd = emptyDir()
    let error: unknown
    try {
      loadConfig({
        env: { PORT: 'eighty', KAFKA_BROKERS: 'no-port', LOG_LEVEL: 'loud' },
        cwd,
        require: ['ZOHO_CLIENT_ID'],
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort()
    expect(problems).toEqual(['KAFKA_BROKERS', 'LOG_LEVEL', 'PORT', 'ZOHO_CLIENT_ID'])
    const message = (error as ConfigError).message
    expect(message).toContain('PORT')
    expect(message).toContain('(from environment)')
    expect(message).toContain('example: PORT=8080')
    expect(message).toContain('ZOHO_CLIENT_ID: is required but not set')
  })

  it('never echoes a bad secret value in the error', () => {
    expect(() =>
      loadConfig({ env: { REDIS_URL: 'http://user:hunter2@x' }, cwd: emptyDir() }),
    ).toThrowError(/REDIS_URL/)
    try {
      loadConfig({ env: { REDIS_URL: 'http://user:hunter2@x' }, cwd: emptyDir() })
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2')
    }
  })

  it('stops with a clear error when an explicit config file is missing or not JSON', () => {
    const cwd = emptyDir()
    expect(() => loadConfig({ env: { CONFIG_FILE: 'nope.json' }, cwd })).toThrowError(
      ConfigFileError,
    )
    writeFileSync(path.join(cwd, 'bad.json'), '{ not json')
    expect(() => loadConfig({ env: { CONFIG_FILE: 'bad.json' }, cwd })).toThrowError(
      /not valid JSON/,
    )
  })
})

describe('effective configuration', () => {
  it('redacts every secret and says where each value came from', () => {
    const loaded = loadConfig({
      env: {
        ZOHO_REFRESH_TOKEN: '1000.supersecret',
        DATABASE_URL: 'postgres://u:pw@db/x',
        PORT: '9999',
      },
      cwd: emptyDir(),
    })
    const text = formatEffectiveConfig(loaded)
    expect(text).not.toContain('supersecret')
    expect(text).not.toContain('pw@db')
    expect(text).toMatch(/ZOHO_REFRESH_TOKEN\s+<redacted>\s+environment/)
    expect(text).toMatch(/PORT\s+9999\s+environment/)
    expect(text).toMatch(/LOG_LEVEL\s+info\s+default/)
    expect(REDACTED).toBe('<redacted>')
  })
})

describe('docs/configuration.md', () => {
  it('matches the reference generated from the schema (run `npm run docs:config` after changing vars.ts)', () => {
    const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')
    expect(committed.trim()).toBe(configurationReference().trim())
  })
})

describe('.env.example', () => {
  it('lists every variable and matches the generated file (run `npm run docs:config`)', () => {
    const committed = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
    expect(committed).toBe(envExample())
    expect(committed).toContain('# RINGCENTRAL_WEBHOOK_TOKEN=')
  })
})
