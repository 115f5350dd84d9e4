/**
 * @module deploy/k8s-manifests
 * What the deploy/k8s tests read: the kustomize base and overlays parsed into typed views, the
 * roles and topics they must cover, and the bounds (heap cap, stop times) they are checked against.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'
import { availableRoles } from '../cli/roles.ts'
import { defaultConsumerTuning } from '../platform/bus/kafka-consumer.ts'
import { varNames, vars } from '../platform/config/vars.ts'

// No cluster and no Docker engine on the build machines: these checks read the manifests
// statically; when kubectl is installed, the overlays are also rendered with its kustomize.

export interface HttpProbe {
  httpGet?: { path?: string; port?: string | number }
}
export interface Container {
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
export interface PodSpec {
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
export type Labels = Record<string, string>
export interface Manifest {
  apiVersion?: string
  kind?: string
  metadata?: { name?: string; namespace?: string; labels?: Labels }
  /** Read through the typed views below. */
  spec?: unknown
  data?: Record<string, string>
}
export interface Workload extends Manifest {
  spec: {
    selector: { matchLabels: Labels }
    serviceName?: string
    template: { metadata: { labels: Labels }; spec: PodSpec }
    volumeClaimTemplates?: { metadata: { name: string } }[]
  }
}
export interface Kustomization {
  kind: 'Kustomization' | 'Component'
  resources?: string[]
  components?: string[]
  patches?: { path?: string; patch?: string; target?: { kind?: string; name?: string } }[]
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[]
  configMapGenerator?: { name: string; envs?: string[]; behavior?: string }[]
  secretGenerator?: { name: string; envs?: string[] }[]
}
export interface KafkaTrigger {
  type: string
  metadata: Record<string, string>
}

export const k8sDir = fileURLToPath(new URL('./k8s/', import.meta.url))
export const baseDir = path.join(k8sDir, 'base')
export const overlayNames = ['staging', 'production'] as const

/** The six roles of the design, and the topic each consumer reads. */
export const consumerTopics: Readonly<Record<string, string>> = {
  'call-tracker': 'ringcentral.webhooks',
  'lead-matcher': 'calls.completed',
  'crm-sync': 'zoho.webhooks',
  'recording-attacher': 'calls.matched',
  notifier: 'calls.matched',
}
export const designRoles = ['gateway', ...Object.keys(consumerTopics)]
export const builtRoles = availableRoles().map((role) => role.name)

export const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? walk(full) : [full]
  })

/** Every document of a (multi-document) YAML text; empty documents (only comments) dropped. */
export const parseYaml = (text: string): unknown[] =>
  parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.join('\n'))
      return doc.toJS() as unknown
    })
    .filter((doc) => doc !== null)

export const readYaml = (file: string): Manifest[] =>
  parseYaml(readFileSync(file, 'utf8')) as Manifest[]

/** A kustomize env file: KEY=VALUE lines, `#` comments, the value taken literally. */
export const readEnvFile = (file: string): Map<string, string> => {
  const entries = new Map<string, string>()
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const at = trimmed.indexOf('=')
    entries.set(trimmed.slice(0, at), trimmed.slice(at + 1))
  }
  return entries
}

export const kustomizationOf = (dir: string): Kustomization =>
  parseYaml(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'))[0] as Kustomization

export const baseKustomization = kustomizationOf(baseDir)
export const baseResources = (baseKustomization.resources ?? []).flatMap((file) =>
  readYaml(path.join(baseDir, file)),
)
export const ofKind = <T extends Manifest = Manifest>(kind: string): T[] =>
  baseResources.filter((m) => m.kind === kind) as T[]
export const workloads = [...ofKind<Workload>('Deployment'), ...ofKind<Workload>('StatefulSet')]
export const containerOf = (w: Workload): Container => {
  const [container] = w.spec.template.spec.containers
  if (!container) throw new Error(`${w.metadata?.name} has no container`)
  return container
}
export const roleOf = (w: Workload): string => containerOf(w).args?.[0] ?? ''
export const workloadOf = (role: string): Workload => {
  const found = workloads.find((w) => roleOf(w) === role)
  if (!found) throw new Error(`no workload runs ${role}`)
  return found
}
export const gateway = workloadOf('gateway')

export const baseConfig = readEnvFile(path.join(baseDir, 'config.env'))
export const secretsExample = readEnvFile(path.join(k8sDir, 'secrets.env.example'))
export const overlayConfig = (overlay: string) =>
  new Map([...baseConfig, ...readEnvFile(path.join(k8sDir, 'overlays', overlay, 'config.env'))])
export const isSecret = (name: string) => {
  const spec = (vars as Record<string, { secret?: boolean }>)[name]
  return spec?.secret === true
}
export const knownName = (name: string) =>
  (varNames as string[]).includes(name) || /^(OTEL_|NODE_OPTIONS$|KAFKAJS_)/.test(name)

/** Kubernetes memory quantity in MiB. */
export const mebibytes = (quantity: string): number => {
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
export const dockerfile = readFileSync(new URL('./Dockerfile', import.meta.url), 'utf8')
export const heapCapMiB = Number(/--max-old-space-size=(\d+)/.exec(dockerfile)?.[1])
// Above the cap: young generation (~48 MiB), code and native memory (~80 MiB).
export const runtimeOverheadMiB = 128
// The gateway also holds produce batches outside the heap, and runs its preStop helper.
export const gatewayExtraMiB = 128

/**
 * Worst-case stop of each role in seconds, from the timeouts in the code; the table in
 * docs/operations.md ("Graceful termination") and the comments in the manifests say the same.
 */
export const preStopBoundS = 30 // the gateway's preStop waits at most this long (checked below)
export const apiRequestS = 30 // integrations/zoho/client.ts timeoutMs default (one API request)
export const zohoUploadS = 600 // integrations/zoho/client.ts uploadTimeoutMs default
export const kafkaPublishS = 30 // platform/bus/kafka.ts publishTimeoutMs default
export const clientsCloseS = 2
export const spanFlushS = 10 // OTEL_EXPORTER_OTLP_TIMEOUT default
export const reconcilerRoundS = 60 // consumers/call-tracker/reconciler.ts: at most two sync requests
export const fetchWaitS = defaultConsumerTuning.maxWaitTimeMs / 1000
export const minimumGraceS = (role: string, config: Map<string, string>): number => {
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
