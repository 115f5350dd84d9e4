import { execFileSync, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { availableRoles } from '../cli/roles.ts'
import { defaultConsumerTuning } from '../platform/bus/kafka-consumer.ts'
import { loadConfig } from '../platform/config/load.ts'
import { type VarName, varNames, vars } from '../platform/config/vars.ts'

// No cluster and no Docker engine on the build machines: these checks read the manifests
// statically; when kubectl is installed, the overlays are also rendered with its kustomize.

interface HttpProbe {
  httpGet?: { path?: string; port?: string | number }
}
interface Container {
  name: string
  image?: string
  args?: string[]
  ports?: { name?: string; containerPort: number }[]
  env?: { name: string; value?: string }[]
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[]
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> }
  startupProbe?: HttpProbe
  livenessProbe?: HttpProbe
  readinessProbe?: HttpProbe
  lifecycle?: { preStop?: { exec?: { command?: string[] } } }
  securityContext?: {
    allowPrivilegeEscalation?: boolean
    readOnlyRootFilesystem?: boolean
    runAsNonRoot?: boolean
    capabilities?: { drop?: string[] }
  }
  volumeMounts?: { name: string; mountPath: string }[]
}
interface PodSpec {
  containers: Container[]
  terminationGracePeriodSeconds?: number
  securityContext?: {
    runAsNonRoot?: boolean
    runAsUser?: number
    runAsGroup?: number
    seccompProfile?: { type?: string }
  }
  volumes?: { name: string; emptyDir?: object }[]
}
type Labels = Record<string, string>
interface Manifest {
  apiVersion?: string
  kind?: string
  metadata?: { name?: string; namespace?: string; labels?: Labels }
  /** Read through the typed views below. */
  spec?: unknown
  data?: Record<string, string>
}
interface Workload extends Manifest {
  spec: {
    selector: { matchLabels: Labels }
    serviceName?: string
    template: { metadata: { labels: Labels }; spec: PodSpec }
    volumeClaimTemplates?: { metadata: { name: string } }[]
  }
}
interface Kustomization {
  kind: 'Kustomization' | 'Component'
  resources?: string[]
  components?: string[]
  patches?: { path?: string; patch?: string; target?: { kind?: string; name?: string } }[]
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[]
  configMapGenerator?: { name: string; envs?: string[]; behavior?: string }[]
  secretGenerator?: { name: string; envs?: string[] }[]
}
interface KafkaTrigger {
  type: string
  metadata: Record<string, string>
}

const k8sDir = fileURLToPath(new URL('./k8s/', import.meta.url))
const baseDir = path.join(k8sDir, 'base')
const overlayNames = ['staging', 'production'] as const

/** The six roles of the design, and the topic each consumer reads. */
const consumerTopics: Readonly<Record<string, string>> = {
  'call-tracker': 'ringcentral.webhooks',
  'lead-matcher': 'calls.completed',
  'crm-sync': 'zoho.webhooks',
  'recording-attacher': 'calls.matched',
  notifier: 'calls.matched',
}
const designRoles = ['gateway', ...Object.keys(consumerTopics)]
const builtRoles = availableRoles().map((role) => role.name)

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? walk(full) : [full]
  })

/** Every document of a (multi-document) YAML text; empty documents (only comments) dropped. */
const parseYaml = (text: string): unknown[] =>
  parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.join('\n'))
      return doc.toJS() as unknown
    })
    .filter((doc) => doc !== null)

const readYaml = (file: string): Manifest[] => parseYaml(readFileSync(file, 'utf8')) as Manifest[]

/** A kustomize env file: KEY=VALUE lines, `#` comments, the value taken literally. */
const readEnvFile = (file: string): Map<string, string> => {
  const entries = new Map<string, string>()
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const at = trimmed.indexOf('=')
    entries.set(trimmed.slice(0, at), trimmed.slice(at + 1))
  }
  return entries
}

const kustomizationOf = (dir: string): Kustomization =>
  parseYaml(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'))[0] as Kustomization

const baseKustomization = kustomizationOf(baseDir)
const baseResources = (baseKustomization.resources ?? []).flatMap((file) =>
  readYaml(path.join(baseDir, file)),
)
const ofKind = <T extends Manifest = Manifest>(kind: string): T[] =>
  baseResources.filter((m) => m.kind === kind) as T[]
const workloads = [...ofKind<Workload>('Deployment'), ...ofKind<Workload>('StatefulSet')]
const containerOf = (w: Workload): Container => {
  const [container] = w.spec.template.spec.containers
  if (!container) throw new Error(`${w.metadata?.name} has no container`)
  return container
}
const roleOf = (w: Workload): string => containerOf(w).args?.[0] ?? ''
const workloadOf = (role: string): Workload => {
  const found = workloads.find((w) => roleOf(w) === role)
  if (!found) throw new Error(`no workload runs ${role}`)
  return found
}
const gateway = workloadOf('gateway')

const baseConfig = readEnvFile(path.join(baseDir, 'config.env'))
const secretsExample = readEnvFile(path.join(k8sDir, 'secrets.env.example'))
const overlayConfig = (overlay: string) =>
  new Map([...baseConfig, ...readEnvFile(path.join(k8sDir, 'overlays', overlay, 'config.env'))])
const isSecret = (name: string) => {
  const spec = (vars as Record<string, { secret?: boolean }>)[name]
  return spec?.secret === true
}
const knownName = (name: string) =>
  (varNames as string[]).includes(name) || /^(OTEL_|NODE_OPTIONS$|KAFKAJS_)/.test(name)

/** Kubernetes memory quantity in MiB. */
const mebibytes = (quantity: string): number => {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(quantity)
  if (!match) throw new Error(`unreadable memory quantity ${quantity}`)
  const factor: Record<string, number> = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    K: 1e3 / 2 ** 20,
    M: 1e6 / 2 ** 20,
    G: 1e9 / 2 ** 20,
  }
  return Number(match[1]) * (match[2] ? (factor[match[2]] ?? 0) : 1 / 2 ** 20)
}

// The V8 old-generation cap of the image, as the benchmark reads it.
const dockerfile = readFileSync(new URL('./Dockerfile', import.meta.url), 'utf8')
const heapCapMiB = Number(/--max-old-space-size=(\d+)/.exec(dockerfile)?.[1])
// Above the cap: young generation (~48 MiB), code and native memory (~80 MiB).
const runtimeOverheadMiB = 128
// The gateway also holds produce batches outside the heap, and runs its preStop helper.
const gatewayExtraMiB = 128

/**
 * Worst-case stop of each role in seconds, from the timeouts in the code; the table in
 * docs/operations.md ("Graceful termination") and the comments in the manifests say the same.
 */
const preStopBoundS = 30 // the gateway's preStop waits at most this long (checked below)
const apiRequestS = 30 // integrations/zoho/client.ts timeoutMs default (one API request)
const zohoUploadS = 600 // integrations/zoho/client.ts uploadTimeoutMs default
const kafkaPublishS = 30 // platform/bus/kafka.ts publishTimeoutMs default
const clientsCloseS = 2
const spanFlushS = 10 // OTEL_EXPORTER_OTLP_TIMEOUT default
const reconcilerRoundS = 60 // consumers/call-tracker/reconciler.ts: at most two sync requests
const fetchWaitS = defaultConsumerTuning.maxWaitTimeMs / 1000
const minimumGraceS = (role: string, config: Map<string, string>): number => {
  const publishBudgetS =
    Number(config.get('PUBLISH_BUDGET_MS') ?? vars.PUBLISH_BUDGET_MS.default) / 1000
  if (role === 'gateway') {
    return preStopBoundS + publishBudgetS + apiRequestS + kafkaPublishS + clientsCloseS + spanFlushS
  }
  const handlerS = role === 'recording-attacher' ? zohoUploadS : apiRequestS
  // The call-tracker stops its call-log reconciler before its consumer.
  const beforeS = role === 'call-tracker' ? reconcilerRoundS : 0
  return beforeS + handlerS + fetchWaitS + clientsCloseS + spanFlushS
}

describe('deploy/k8s manifests', () => {
  it('parses every YAML file, and every object has an apiVersion, a kind and a name', () => {
    const files = walk(k8sDir).filter((file) => /\.ya?ml$/.test(file))
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) {
      const docs = readYaml(file)
      expect(docs.length, `${file} is empty`).toBeGreaterThan(0)
      for (const doc of docs) {
        expect(doc.apiVersion, file).toMatch(/\w/)
        expect(doc.kind, file).toMatch(/^[A-Z]\w+$/)
        if (doc.kind !== 'Kustomization' && doc.kind !== 'Component') {
          expect(doc.metadata?.name, `${file}: ${doc.kind} has a name`).toMatch(/^[a-z0-9-]+$/)
        }
      }
    }
  })

  it('lists in each kustomization only files and folders that exist, and keeps real secrets out of git', () => {
    const dirs = walk(k8sDir)
      .filter((file) => path.basename(file) === 'kustomization.yaml')
      .map((file) => path.dirname(file))
    expect(dirs.length).toBe(4) // base, components/wiring, two overlays
    for (const dir of dirs) {
      const k = kustomizationOf(dir)
      const folders = [...(k.resources ?? []), ...(k.components ?? [])].filter(
        (entry) => !/\.ya?ml$/.test(entry),
      )
      const files = [
        ...(k.resources ?? []).filter((entry) => /\.ya?ml$/.test(entry)),
        ...(k.patches ?? []).flatMap((p) => (p.path ? [p.path] : [])),
        ...(k.configMapGenerator ?? []).flatMap((g) => g.envs ?? []),
      ]
      for (const folder of folders) {
        expect(existsSync(path.join(dir, folder, 'kustomization.yaml')), `${dir}: ${folder}`).toBe(
          true,
        )
      }
      for (const file of files)
        expect(existsSync(path.join(dir, file)), `${dir}: ${file}`).toBe(true)
      // The Secret's env file is never committed: it must be ignored, with a committed example.
      for (const env of (k.secretGenerator ?? []).flatMap((g) => g.envs ?? [])) {
        expect(env).toBe('secrets.env')
        const ignored = spawnSync('git', ['check-ignore', '-q', path.join(dir, env)], {
          cwd: k8sDir,
        })
        expect(ignored.status, `${dir}/${env} is git-ignored`).toBe(0)
      }
    }
    expect(existsSync(path.join(k8sDir, 'secrets.env.example'))).toBe(true)
  })

  it('runs every role, each as one workload of the one image with the role as its only argument', () => {
    const roles = workloads.map(roleOf)
    for (const role of [...designRoles, ...builtRoles]) expect(roles, role).toContain(role)
    for (const w of workloads) {
      expect(w.spec.template.spec.containers).toHaveLength(1)
      expect(containerOf(w).args, w.metadata?.name).toHaveLength(1)
      expect([...designRoles, ...builtRoles], `${w.metadata?.name} runs a known role`).toContain(
        roleOf(w),
      )
      expect(containerOf(w).image, `${w.metadata?.name} uses the one image`).toBe('callbridge')
      expect(w.metadata?.name).toBe(`callbridge-${roleOf(w)}`)
    }
    expect(new Set(roles).size).toBe(roles.length)
  })

  it('pins the one image to a release tag in every overlay, and wires values from its ConfigMap', () => {
    for (const overlay of overlayNames) {
      const k = kustomizationOf(path.join(k8sDir, 'overlays', overlay))
      expect(k.components, overlay).toContain('../../components/wiring')
      const images = k.images ?? []
      expect(images, overlay).toHaveLength(1)
      const [image] = images
      expect(image?.name).toBe('callbridge')
      expect(image?.newName, overlay).toMatch(/^ghcr\.io\/[a-z0-9-]+\/callbridge$/)
      const pinned =
        /^v\d+\.\d+\.\d+$/.test(image?.newTag ?? '') ||
        /^sha256:[0-9a-f]{64}$/.test(image?.digest ?? '')
      expect(pinned, `${overlay} pins a vX.Y.Z tag or a digest`).toBe(true)
    }
  })

  it('probes liveness on /livez and readiness on /readyz, with a startup probe, on the port the process listens on', () => {
    const port = Number(baseConfig.get('PORT') ?? vars.PORT.default)
    for (const w of workloads) {
      const c = containerOf(w)
      const http = c.ports?.find((p) => p.containerPort === port)
      expect(http, `${w.metadata?.name} exposes PORT ${port}`).toBeDefined()
      const onPort = (probe: HttpProbe | undefined) =>
        probe?.httpGet?.port === http?.name || probe?.httpGet?.port === port
      expect(c.livenessProbe?.httpGet?.path, w.metadata?.name).toBe('/livez')
      expect(c.readinessProbe?.httpGet?.path, w.metadata?.name).toBe('/readyz')
      expect(c.startupProbe?.httpGet?.path, w.metadata?.name).toBe('/livez')
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
        expect(onPort(probe), `${w.metadata?.name} probes its port`).toBe(true)
      }
    }
  })

  it('sets resource requests and limits on every container, with memory headroom over the heap cap', () => {
    expect(heapCapMiB).toBeGreaterThan(0)
    const patched = overlayNames.flatMap((overlay) => {
      const dir = path.join(k8sDir, 'overlays', overlay)
      return (kustomizationOf(dir).patches ?? [])
        .flatMap((p) => (p.path ? readYaml(path.join(dir, p.path)) : []))
        .map((m) => ({ m: m as Workload, where: `${overlay}/${m.metadata?.name}` }))
    })
    const all = [...workloads.map((m) => ({ m, where: `base/${m.metadata?.name}` })), ...patched]
    for (const { m, where } of all) {
      const isGateway = m.kind === 'StatefulSet'
      for (const c of m.spec.template.spec.containers) {
        for (const kind of ['requests', 'limits'] as const) {
          expect(c.resources?.[kind]?.['cpu'], `${where} ${kind}.cpu`).toBeDefined()
          expect(c.resources?.[kind]?.['memory'], `${where} ${kind}.memory`).toBeDefined()
        }
        const limit = mebibytes(c.resources?.limits?.['memory'] ?? '0')
        const needed = heapCapMiB + runtimeOverheadMiB + (isGateway ? gatewayExtraMiB : 0)
        expect(
          limit,
          `${where}: memory limit vs heap cap ${heapCapMiB} MiB`,
        ).toBeGreaterThanOrEqual(needed)
        expect(mebibytes(c.resources?.requests?.['memory'] ?? '0')).toBeLessThanOrEqual(limit)
      }
    }
  })

  it('runs every pod as uid 1000, non-root, read-only, without capabilities, under RuntimeDefault seccomp, with writable /tmp and DATA_DIR', () => {
    const dataDir = baseConfig.get('DATA_DIR') ?? ''
    expect(dataDir).toMatch(/^\//)
    for (const w of workloads) {
      const pod = w.spec.template.spec
      const name = w.metadata?.name
      expect(pod.securityContext?.runAsNonRoot, name).toBe(true)
      expect(pod.securityContext?.runAsUser, name).toBe(1000)
      expect(pod.securityContext?.seccompProfile?.type, name).toBe('RuntimeDefault')
      const c = containerOf(w)
      expect(c.securityContext?.allowPrivilegeEscalation, name).toBe(false)
      expect(c.securityContext?.readOnlyRootFilesystem, name).toBe(true)
      expect(c.securityContext?.runAsNonRoot, name).toBe(true)
      expect(c.securityContext?.capabilities?.drop, name).toContain('ALL')
      const mountAt = (dir: string) => c.volumeMounts?.find((v) => v.mountPath === dir)?.name
      const tmp = pod.volumes?.find((v) => v.name === mountAt('/tmp'))
      expect(tmp?.emptyDir, `${name}: /tmp is an emptyDir`).toBeDefined()
      // DATA_DIR holds the process lock: an emptyDir, or the gateway's spool volume.
      const data = mountAt(dataDir)
      const claims = w.spec.volumeClaimTemplates?.map((t) => t.metadata.name) ?? []
      const writable =
        pod.volumes?.some((v) => v.name === data && v.emptyDir) || claims.includes(data ?? '')
      expect(writable, `${name}: DATA_DIR ${dataDir} is a writable volume`).toBe(true)
    }
  })

  it('keeps the gateway spool on a per-replica volume: a StatefulSet with a claim template under SPOOL_DIR', () => {
    expect(gateway.kind).toBe('StatefulSet')
    const spoolDir = containerOf(gateway).env?.find((e) => e.name === 'SPOOL_DIR')?.value ?? ''
    const claims = gateway.spec.volumeClaimTemplates?.map((t) => t.metadata.name) ?? []
    const mount = containerOf(gateway).volumeMounts?.find(
      (v) => spoolDir === v.mountPath || spoolDir.startsWith(`${v.mountPath}/`),
    )
    expect(mount, `SPOOL_DIR ${spoolDir} is on a mounted volume`).toBeDefined()
    expect(claims).toContain(mount?.name)
    const headless = ofKind('Service').find((s) => s.metadata?.name === gateway.spec.serviceName)
    expect((headless?.spec as { clusterIP?: string } | undefined)?.clusterIP).toBe('None')
  })

  it('exposes only /webhooks of the gateway, over TLS, through its Service', () => {
    type ServiceSpec = { selector: Labels; ports: { port: number; targetPort: string | number }[] }
    type IngressSpec = {
      tls: { hosts: string[]; secretName: string }[]
      rules: {
        host: string
        http: {
          paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[]
        }
      }[]
    }
    const [ingress] = ofKind('Ingress')
    const spec = ingress?.spec as IngressSpec
    expect(spec.tls[0]?.hosts).toEqual(spec.rules.map((r) => r.host))
    const paths = spec.rules.flatMap((r) => r.http.paths)
    expect(paths.map((p) => p.path)).toEqual(['/webhooks'])
    const service = ofKind('Service').find(
      (s) => s.metadata?.name === paths[0]?.backend.service.name,
    )
    const serviceSpec = service?.spec as ServiceSpec
    expect(serviceSpec.selector).toEqual(gateway.spec.selector.matchLabels)
    expect(serviceSpec.ports.map((p) => p.targetPort)).toContain(
      containerOf(gateway).ports?.[0]?.name,
    )
  })

  it('gives every role a PodDisruptionBudget', () => {
    const pdbs = ofKind('PodDisruptionBudget')
    for (const w of workloads) {
      const pdb = pdbs.find(
        (p) =>
          JSON.stringify((p.spec as { selector: { matchLabels: Labels } }).selector.matchLabels) ===
          JSON.stringify(w.spec.selector.matchLabels),
      )
      expect(pdb, `${w.metadata?.name} has a PDB`).toBeDefined()
    }
  })

  it('autoscales the gateway on CPU', () => {
    type HpaSpec = {
      scaleTargetRef: { kind: string; name: string }
      minReplicas: number
      maxReplicas: number
      metrics: { type: string; resource?: { name: string } }[]
    }
    const hpa = ofKind('HorizontalPodAutoscaler').map((h) => h.spec as HpaSpec)
    const forGateway = hpa.find((h) => h.scaleTargetRef.name === gateway.metadata?.name)
    expect(forGateway?.scaleTargetRef.kind).toBe('StatefulSet')
    expect(forGateway?.metrics.map((m) => m.resource?.name)).toEqual(['cpu'])
    expect(forGateway?.minReplicas).toBeGreaterThanOrEqual(2)
  })

  it('autoscales every consumer on the lag of its own consumer group on its own topic', () => {
    type ScaledObjectSpec = {
      scaleTargetRef: { name: string }
      minReplicaCount: number
      triggers: KafkaTrigger[]
    }
    const scaled = ofKind('ScaledObject').map((s) => s.spec as ScaledObjectSpec)
    const consumers = workloads.filter((w) => roleOf(w) !== 'gateway')
    expect(consumers.length).toBe(Object.keys(consumerTopics).length)
    for (const w of consumers) {
      const role = roleOf(w)
      const spec = scaled.find((s) => s.scaleTargetRef.name === w.metadata?.name)
      expect(spec, `${role} has a ScaledObject`).toBeDefined()
      // The retry worker runs in the same process: never scaled to zero.
      expect(spec?.minReplicaCount).toBeGreaterThanOrEqual(1)
      const [trigger] = spec?.triggers ?? []
      expect(trigger?.type).toBe('kafka')
      expect(trigger?.metadata['topic'], role).toBe(consumerTopics[role])
      expect(trigger?.metadata['consumerGroup'], role).toBe(`callbridge.${role}`)
      expect(trigger?.metadata['bootstrapServers']).toBe(baseConfig.get('KAFKA_BROKERS'))
      expect(Number(trigger?.metadata['lagThreshold'])).toBeGreaterThan(0)
    }
  })

  it('gives every role more termination grace than its worst-case stop', () => {
    const preStop = containerOf(gateway).lifecycle?.preStop?.exec?.command?.join(' ') ?? ''
    expect(preStop, 'the preStop wait is bounded as budgeted').toContain(
      `< ${preStopBoundS * 1000}`,
    )
    for (const overlay of overlayNames) {
      const config = overlayConfig(overlay)
      for (const w of workloads) {
        const grace = w.spec.template.spec.terminationGracePeriodSeconds ?? 30
        expect(grace, `${overlay}: ${w.metadata?.name}`).toBeGreaterThanOrEqual(
          minimumGraceS(roleOf(w), config),
        )
      }
    }
  })
})

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
