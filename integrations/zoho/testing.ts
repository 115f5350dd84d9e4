/**
 * @module integrations/zoho/testing
 * Test harness: a Zoho simulator served over HTTP, a shared memory kv and clients pointed at
 * both. Tests only (the simulator is the only Zoho they may see).
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { createMemoryKv, type MemoryKvOptions } from '../../platform/kv/memory.ts'
import type { Kv } from '../../platform/kv/port.ts'
import {
  type StartedZohoSimulator,
  startZohoSimulator,
  type ZohoSimulatorOptions,
} from '../../simulators/zoho/index.ts'
import { simCredentials } from '../../simulators/zoho/testing.ts'
import { createZohoClient, type ZohoClient, type ZohoClientOptions } from './client.ts'

const SimulatorReady = z.object({ url: z.string() })

/** A running simulator with a kv and a client factory. */
export interface ZohoHarness extends StartedZohoSimulator {
  /** The kv every client of this harness shares unless given its own. */
  readonly kv: Kv
  /** A client on the simulator: fast retries, shared kv; `overrides` win. */
  client(overrides?: Partial<ZohoClientOptions>): ZohoClient
  /** Sends a `/_sim` control request. */
  control(path: string, init?: RequestInit): Promise<Response>
}

/** Starts a simulator and a memory kv; `close` stops both. */
export const startZohoHarness = async (
  simOptions: ZohoSimulatorOptions = {},
  kvOptions: MemoryKvOptions = {},
): Promise<ZohoHarness> => {
  const started = await startZohoSimulator(simOptions)
  const kv = createMemoryKv(kvOptions)
  return {
    ...started,
    kv,
    client: (overrides = {}) =>
      createZohoClient({
        accountsUrl: started.url,
        ...simCredentials,
        kv,
        retries: { attempts: 10, baseMs: 5, maxMs: 40 },
        ...(simOptions.now ? { now: simOptions.now } : {}),
        ...overrides,
      }),
    control: (path, init) => fetch(`${started.url}${path}`, { method: 'POST', ...init }),
    close: async () => {
      await started.close()
      await kv.close()
    },
  }
}

/** A deterministic pull-based byte stream of `size` bytes, `chunk` bytes at a time. */
export const generatedStream = (
  size: number,
  { chunk = 64 * 1024, onChunk }: { chunk?: number; onChunk?: (bytes: Uint8Array) => void } = {},
): ReadableStream<Uint8Array> => {
  let sent = 0
  let state = 0x9e3779b9
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= size) {
          controller.close()
          return
        }
        const bytes = new Uint8Array(Math.min(chunk, size - sent))
        for (let i = 0; i < bytes.length; i += 1) {
          // xorshift32: cheap, deterministic, not compressible.
          state ^= state << 13
          state ^= state >>> 17
          state ^= state << 5
          bytes[i] = state & 0xff
        }
        sent += bytes.length
        onChunk?.(bytes)
        controller.enqueue(bytes)
      },
    },
    { highWaterMark: 0 },
  )
}

/** A simulator running in a child process, reachable over HTTP (`/_sim` for its state). */
export interface SimulatorProcess {
  readonly url: string
  close(): Promise<void>
}

/** Starts the simulator in a child process (see ./sim-process.ts). */
export const startSimulatorProcess = async (
  options: Omit<ZohoSimulatorOptions, 'now' | 'fetch'> = {},
): Promise<SimulatorProcess> => {
  const child = fork(
    fileURLToPath(new URL('./sim-process.ts', import.meta.url)),
    [JSON.stringify(options)],
    { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  )
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)))
    child.once('message', (message: unknown) => {
      const parsed = SimulatorReady.safeParse(message)
      if (parsed.success) resolve(parsed.data.url)
      else reject(new Error('simulator process sent an unexpected message'))
    })
  })
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve()
          return
        }
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
