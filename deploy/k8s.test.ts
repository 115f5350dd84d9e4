import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { vars } from '../platform/config/vars.ts'
import {
  baseConfig,
  builtRoles,
  consumerTopics,
  containerOf,
  designRoles,
  gateway,
  gatewayExtraMiB,
  type HttpProbe,
  heapCapMiB,
  type KafkaTrigger,
  k8sDir,
  kustomizationOf,
  type Labels,
  mebibytes,
  minimumGraceS,
  ofKind,
  overlayConfig,
  overlayNames,
  preStopBoundS,
  readYaml,
  roleOf,
  runtimeOverheadMiB,
  type Workload,
  walk,
  workloads,
} from './k8s-manifests.ts'

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
