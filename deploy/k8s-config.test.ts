import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { availableRoles } from '../cli/roles.ts'
import { loadConfig } from '../platform/config/load.ts'
import { type VarName, varNames } from '../platform/config/vars.ts'
import {
  baseDir,
  containerOf,
  isSecret,
  type KafkaTrigger,
  k8sDir,
  knownName,
  kustomizationOf,
  type Manifest,
  overlayConfig,
  overlayNames,
  parseYaml,
  readEnvFile,
  readYaml,
  roleOf,
  secretsExample,
  type Workload,
  workloads,
} from './k8s-manifests.ts'

// The configuration the manifests set, checked against the schema; and, when kubectl is
// installed, the overlays rendered by its kustomize.

describe('deploy/k8s configuration', () => {
  const configFiles = [
    path.join(baseDir, 'config.env'),
    ...overlayNames.map((o) => path.join(k8sDir, 'overlays', o, 'config.env')),
  ]

  it('sets only variables the configuration schema knows', () => {
    const names = [
      ...configFiles.flatMap((file) => [...readEnvFile(file).keys()]),
      ...secretsExample.keys(),
      ...workloads.flatMap((w) => (containerOf(w).env ?? []).map((e) => e.name)),
    ]
    for (const name of names) expect(knownName(name), `${name} is in vars.ts`).toBe(true)
  })

  it('keeps secret variables in the Secret and out of the ConfigMap and the manifests', () => {
    for (const file of configFiles) {
      for (const name of readEnvFile(file).keys()) {
        expect(isSecret(name), `${name} in ${file} is a secret`).toBe(false)
      }
    }
    for (const w of workloads) {
      for (const e of containerOf(w).env ?? []) expect(isSecret(e.name), e.name).toBe(false)
    }
    const secretNames = varNames.filter(isSecret)
    expect([...secretsExample.keys()].sort()).toEqual([...secretNames].sort())
  })

  it.each(overlayNames)(
    'gives %s a valid configuration with what its roles require and shared Kafka, Redis and PostgreSQL',
    (overlay) => {
      const env = Object.fromEntries([...overlayConfig(overlay), ...secretsExample])
      for (const w of workloads) {
        const roleEnv = Object.fromEntries((containerOf(w).env ?? []).map((e) => [e.name, e.value]))
        const role = availableRoles().find((r) => r.name === roleOf(w))
        const empty = mkdtempSync(path.join(os.tmpdir(), 'callbridge-k8s-config-'))
        try {
          const { config } = loadConfig({
            env: { ...env, ...roleEnv },
            cwd: empty,
            require: [...(role?.requires ?? []), 'KAFKA_BROKERS', 'REDIS_URL', 'DATABASE_URL'],
          })
          expect(config.CALLBRIDGE_ENV).toBe(overlay)
        } finally {
          rmSync(empty, { recursive: true, force: true })
        }
      }
    },
  )
})

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0

describe.skipIf(!kubectl)('deploy/k8s rendered by kubectl kustomize', () => {
  // A copy, so that the example secrets can stand in for the real (uncommitted) ones.
  let copy = ''
  beforeAll(() => {
    copy = mkdtempSync(path.join(os.tmpdir(), 'callbridge-k8s-'))
    cpSync(k8sDir, copy, {
      recursive: true,
      filter: (source) => path.basename(source) !== 'secrets.env',
    })
  })
  afterAll(() => rmSync(copy, { recursive: true, force: true }))

  it.each(overlayNames)(
    'renders %s with its namespace, environment, pinned image and values wired from its ConfigMap',
    (overlay) => {
      const dir = path.join(copy, 'overlays', overlay)
      writeFileSync(
        path.join(dir, 'secrets.env'),
        readFileSync(path.join(k8sDir, 'secrets.env.example')),
      )
      const rendered = parseYaml(
        execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' }),
      ) as Manifest[]
      const k = kustomizationOf(path.join(k8sDir, 'overlays', overlay))
      const namespace = readYaml(path.join(dir, 'namespace.yaml'))[0]?.metadata?.name
      const [configMap] = rendered.filter((m) => m.kind === 'ConfigMap')
      const [secret] = rendered.filter((m) => m.kind === 'Secret')
      const data = configMap?.data ?? {}
      expect(data['CALLBRIDGE_ENV']).toBe(overlay)

      for (const m of rendered.filter((r) => r.kind !== 'Namespace')) {
        expect(m.metadata?.namespace, `${m.kind}/${m.metadata?.name}`).toBe(namespace)
      }
      const pods = rendered.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet')
      expect(pods).toHaveLength(workloads.length)
      const [image] = k.images ?? []
      for (const w of pods as Workload[]) {
        const c = containerOf(w)
        expect(c.image).toBe(`${image?.newName}:${image?.newTag}`)
        const refs = (c.envFrom ?? []).map((e) => e.configMapRef?.name ?? e.secretRef?.name)
        expect(refs).toEqual([configMap?.metadata?.name, secret?.metadata?.name])
      }
      for (const s of rendered.filter((m) => m.kind === 'ScaledObject')) {
        const triggers = (s.spec as { triggers: KafkaTrigger[] }).triggers
        for (const t of triggers) expect(t.metadata['bootstrapServers']).toBe(data['KAFKA_BROKERS'])
      }
      const [ingress] = rendered.filter((m) => m.kind === 'Ingress')
      const host = new URL(data['PUBLIC_URL'] ?? '').hostname
      const ingressSpec = ingress?.spec as { tls: { hosts: string[] }[]; rules: { host: string }[] }
      expect(ingressSpec.rules.map((r) => r.host)).toEqual([host])
      expect(ingressSpec.tls.flatMap((t) => t.hosts)).toEqual([host])

      // What the pods will actually see parses with the real schema.
      const secretData = Object.fromEntries(
        Object.entries(secret?.data ?? {}).map(([key, value]) => [
          key,
          Buffer.from(value, 'base64').toString('utf8'),
        ]),
      )
      const requires: VarName[] = availableRoles().flatMap((r) => r.requires)
      const empty = mkdtempSync(path.join(os.tmpdir(), 'callbridge-k8s-config-'))
      try {
        expect(() =>
          loadConfig({ env: { ...data, ...secretData }, cwd: empty, require: requires }),
        ).not.toThrow()
      } finally {
        rmSync(empty, { recursive: true, force: true })
      }
    },
  )
})
