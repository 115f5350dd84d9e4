/**
 * @module test/e2e/process
 * One role as a child process of the real CLI (`node bin/callbridge.ts <role>`), configured by
 * environment variables only, that a test can SIGKILL and start again.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import type { RoleName } from './fixtures.ts'

const bin = new URL('../../bin/callbridge.ts', import.meta.url).pathname

const lines = (max: number) => {
  const kept: string[] = []
  return {
    push(line: string) {
      kept.push(line.length > 2000 ? `${line.slice(0, 2000)}…` : line)
      if (kept.length > max) kept.splice(0, kept.length - max)
    },
    tail: (n: number) => kept.slice(-n),
  }
}

/** One role running as a child process of the real CLI. */
export interface ManagedProcess {
  readonly role: RoleName
  readonly url: string
  /** Times it was started (1 after the first start). */
  readonly starts: number
  /** Log tails of the times it exited during start-up (it was started again). */
  readonly startupCrashes: readonly string[]
  readonly pid: number | undefined
  running(): boolean
  /** The last `n` lines it wrote (stdout and stderr, LOG_LEVEL=warn). */
  tail(n?: number): string[]
  /** Sends `signal` (default SIGKILL) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<number | null>
  /** Spawns it (again) and waits until /readyz answers 200. */
  start(): Promise<void>
  /** SIGTERM, then SIGKILL after 20 s. */
  stop(): Promise<void>
  metrics(): Promise<string>
}

export const startProcess = (
  role: RoleName,
  env: Record<string, string>,
  port: number,
  dataDir: string,
): ManagedProcess => {
  const url = `http://127.0.0.1:${port}`
  const log = lines(400)
  let child: ChildProcess | undefined
  let exited: Promise<number | null> = Promise.resolve(null)
  let starts = 0
  const startupCrashes: string[] = []
  const killOnExit = () => child?.kill('SIGKILL')

  const spawnChild = () => {
    starts += 1
    const generation = starts
    const proc = spawn(process.execPath, [bin, role], {
      cwd: dataDir,
      env: { ...env, DATA_DIR: dataDir, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = proc
    process.once('exit', killOnExit)
    let pending = ''
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const parts = pending.split('\n')
      pending = parts.pop() ?? ''
      for (const line of parts) if (line.trim()) log.push(`[${role}#${generation}] ${line}`)
    }
    proc.stdout?.on('data', onData)
    proc.stderr?.on('data', onData)
    exited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        process.removeListener('exit', killOnExit)
        log.push(`[${role}#${generation}] exited code=${code} signal=${signal}`)
        resolve(code)
      }),
    )
  }

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null

  /** Resolves true once /readyz answers 200, false when the process exits first. */
  const waitReady = async (): Promise<boolean> => {
    const deadline = Date.now() + 90_000
    for (;;) {
      if (!running()) return false
      try {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) })
        await res.body?.cancel()
        if (res.status === 200) return true
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${role} not ready at ${url}/readyz after 90 s:\n${log.tail(40).join('\n')}`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!running()) return child?.exitCode ?? null
    child?.kill(signal)
    return exited
  }

  return {
    role,
    url,
    get starts() {
      return starts
    },
    get pid() {
      return child?.pid
    },
    running,
    tail: (n = 60) => log.tail(n),
    kill,
    get startupCrashes() {
      return startupCrashes
    },
    start: async () => {
      if (running()) throw new Error(`${role} is already running`)
      // Like an orchestrator's restart policy, a process that dies during start-up is started
      // again (twice at most); every such crash is kept for the report.
      for (let attempt = 1; ; attempt++) {
        spawnChild()
        if (await waitReady()) return
        await exited
        startupCrashes.push(log.tail(12).join('\n'))
        if (attempt === 3) {
          throw new Error(`${role} exited during start-up 3 times:\n${log.tail(40).join('\n')}`)
        }
      }
    },
    stop: async () => {
      if (!running()) return
      const timer = setTimeout(() => child?.kill('SIGKILL'), 20_000)
      await kill('SIGTERM')
      clearTimeout(timer)
    },
    metrics: async () => {
      const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3_000) })
      return res.text()
    },
  }
}
