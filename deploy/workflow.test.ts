import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

// GitHub Actions cannot run here: these checks read .github/workflows/ci.yml statically.
interface Step {
  uses?: string
  run?: string
  with?: Record<string, string | boolean>
}
interface Job {
  if?: string
  needs?: string[]
  permissions?: Record<string, string>
  services?: Record<string, { image: string; env?: Record<string, string>; options?: string }>
  env?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  on: { push?: { tags?: string[] }; pull_request?: unknown }
  permissions: Record<string, string>
  env?: Record<string, string>
  jobs: Record<string, Job>
}

const text = readFileSync(new URL('../.github/workflows/ci.yml', import.meta.url), 'utf8')
const workflow = parse(text) as Workflow
const jobs = Object.entries(workflow.jobs)
const steps = jobs.flatMap(([, job]) => job.steps)
const stepsUsing = (action: string) => steps.filter((s) => s.uses?.startsWith(`${action}@`))

const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, { image: string; environment: Record<string, string> }>
}

describe('.github/workflows/ci.yml', () => {
  it('pins every action to a full commit SHA, with the release it came from in a comment', () => {
    const lines = text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line))
    expect(lines.length).toBe(steps.filter((s) => s.uses).length)
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
    }
    // One action, one version: the same SHA wherever an action is used.
    const shaOf = new Map<string, Set<string>>()
    for (const step of steps.filter((s) => s.uses)) {
      const [action = '', sha = ''] = step.uses?.split('@') ?? []
      shaOf.set(action, (shaOf.get(action) ?? new Set()).add(sha))
    }
    for (const [action, shas] of shaOf) expect(shas.size, action).toBe(1)
  })

  it('is read-only at the top, and only the publish job may write packages', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' })
    for (const [name, job] of jobs) {
      const writes = Object.entries(job.permissions ?? {}).filter(([, level]) => level === 'write')
      expect(writes, name).toEqual(name === 'publish' ? [['packages', 'write']] : [])
    }
  })

  it('runs on pushes, pull requests and v* tags', () => {
    expect(workflow.on.pull_request).not.toBeUndefined()
    expect(workflow.on.push?.tags).toContain('v*')
  })

  it('checks format, lint and types, on Node 24', () => {
    const runs = steps.map((s) => s.run ?? '')
    expect(runs).toContain('npx biome ci .')
    expect(runs).toContain('npm run typecheck')
    const setups = stepsUsing('actions/setup-node')
    expect(setups.length).toBeGreaterThan(0)
    for (const setup of setups) {
      // `${{ env.NAME }}` resolved from the workflow's env.
      const version = String(setup.with?.['node-version'] ?? '').replace(
        /^\$\{\{ env\.(\w+) \}\}$/,
        (_, name: string) => workflow.env?.[name] ?? '',
      )
      expect(version).toBe('24')
    }
  })

  it('tests against Kafka (KRaft, as in docker-compose.yml), Redis and PostgreSQL, requiring them', () => {
    const test = workflow.jobs['test']
    expect(test?.steps.map((s) => s.run)).toContain('npm test')
    expect(test?.env?.['CALLBRIDGE_REQUIRE_SERVICES']).toBe('1')
    for (const name of ['KAFKA_BROKERS', 'REDIS_URL', 'DATABASE_URL']) {
      expect(test?.env?.[name], name).toMatch(/127\.0\.0\.1/)
    }
    const services = test?.services ?? {}
    const kafka = services['kafka']
    const composeKafka = compose.services['kafka']
    expect(kafka?.image).toBe(composeKafka?.image)
    // Same broker settings as compose, except the addresses the tests reach it on.
    const addresses = ['KAFKA_ADVERTISED_LISTENERS', 'KAFKA_CONTROLLER_QUORUM_VOTERS']
    for (const [key, value] of Object.entries(composeKafka?.environment ?? {})) {
      if (!addresses.includes(key)) expect(kafka?.env?.[key], key).toBe(value)
    }
    expect(services['redis']?.image).toMatch(/^redis:/)
    expect(services['postgres']?.image).toMatch(/^postgres:/)
    for (const [name, service] of Object.entries(services)) {
      expect(service.options, `${name} has a health check`).toMatch(/--health-cmd/)
    }
  })

  it('builds the one image from deploy/Dockerfile and pushes it to ghcr.io only for v* tags, after the checks', () => {
    const publish = workflow.jobs['publish']
    expect(publish?.if).toMatch(/startsWith\(github\.ref, 'refs\/tags\/v'\)/)
    expect(publish?.needs).toEqual(expect.arrayContaining(['check', 'test']))
    const [build] = stepsUsing('docker/build-push-action')
    expect(build?.with?.['file']).toBe('deploy/Dockerfile')
    expect(build?.with?.['push']).toBe(true)
    const [meta] = stepsUsing('docker/metadata-action')
    expect(meta?.with?.['images']).toMatch(/^ghcr\.io\/.+\/callbridge$/)
    // The Kubernetes overlays pin the git tag itself (vX.Y.Z).
    expect(meta?.with?.['tags']).toMatch(/type=ref,event=tag/)
  })
})
