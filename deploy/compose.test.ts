import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { availableRoles } from '../cli/roles.ts'
import { varNames } from '../platform/config/vars.ts'

// There is no Docker engine on the build machines: these checks are what can be verified statically.
interface ComposeService {
  image?: string
  build?: { context: string; dockerfile: string }
  command?: string[]
  environment?: Record<string, string>
  ports?: string[]
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string }>
}
const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> }
const services = Object.entries(compose.services)
const appServices = services.filter(([, s]) => s.build?.dockerfile === 'deploy/Dockerfile')
const roleNames = availableRoles().map((r) => r.name)
const allowedExtra = /^(OTEL_|NODE_ENV$|KAFKAJS_)/

describe('docker-compose.yml', () => {
  it('runs Kafka in KRaft mode from the official image, with Redis, PostgreSQL and Jaeger', () => {
    expect(compose.services['kafka']?.image).toMatch(/^apache\/kafka:/)
    expect(compose.services['kafka']?.environment?.['KAFKA_PROCESS_ROLES']).toBe(
      'broker,controller',
    )
    expect(compose.services['redis']?.image).toMatch(/^redis:/)
    expect(compose.services['postgres']?.image).toMatch(/^postgres:/)
    expect(compose.services['jaeger']?.image).toMatch(/^jaegertracing\/jaeger:2/)
    for (const name of ['kafka', 'redis', 'postgres', 'jaeger']) {
      expect(compose.services[name]?.healthcheck, `${name} has a health check`).toBeDefined()
    }
  })

  it('has a service for every role, all built from the one Dockerfile into one image', () => {
    const commands = appServices.map(([, s]) => s.command?.[0])
    for (const role of roleNames) expect(commands).toContain(role)
    expect(new Set(appServices.map(([, s]) => s.image)).size).toBe(1)
  })

  it('starts only roles that exist', () => {
    for (const [name, service] of appServices) {
      for (const role of service.command ?? []) {
        expect([...roleNames, 'all'], `${name} runs ${role}`).toContain(role)
      }
    }
  })

  it('sets only variables the configuration schema knows, and every variable its roles require', () => {
    for (const [name, service] of appServices) {
      const env = service.environment ?? {}
      for (const key of Object.keys(env)) {
        const known = (varNames as string[]).includes(key) || allowedExtra.test(key)
        expect(known, `${name}: ${key} is not in platform/config/vars.ts`).toBe(true)
      }
      const roles = availableRoles().filter((r) => service.command?.includes(r.name))
      for (const required of roles.flatMap((r) => r.requires)) {
        expect(env[required], `${name} must set ${required}`).toBeDefined()
      }
    }
  })

  it('publishes the HTTP port the service listens on and checks its health', () => {
    for (const [name, service] of appServices.filter(([, s]) => s.ports)) {
      const port = service.environment?.['PORT'] ?? '3000'
      expect(
        service.ports?.some((p) => p.endsWith(`:${port}`)),
        `${name} exposes ${port}`,
      ).toBe(true)
      expect(service.healthcheck?.test.join(' ')).toMatch(/readyz|livez/)
    }
  })

  it('waits for healthy dependencies before starting the app', () => {
    for (const [name, service] of appServices) {
      for (const dep of ['kafka', 'redis', 'postgres']) {
        expect(service.depends_on?.[dep]?.condition, `${name} → ${dep}`).toBe('service_healthy')
      }
    }
  })
})

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(new URL('./Dockerfile', import.meta.url), 'utf8')

  it('is multi-stage on Node 24 slim, production dependencies only, non-root, with a health check', () => {
    expect(dockerfile.match(/^FROM node:24-slim/gm)?.length).toBeGreaterThanOrEqual(2)
    expect(dockerfile).toMatch(/npm ci --omit=dev/)
    expect(dockerfile).toMatch(/^USER node$/m)
    expect(dockerfile).toMatch(/^HEALTHCHECK /m)
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "bin\/callbridge.ts"\]/)
  })

  it('copies every top-level source folder the entry point imports', () => {
    for (const folder of [
      'bin',
      'cli',
      'platform',
      'schemas',
      'gateway',
      'integrations',
      'consumers',
    ]) {
      expect(dockerfile, folder).toMatch(new RegExp(`^COPY ${folder} \\./${folder}$`, 'm'))
    }
  })
})
