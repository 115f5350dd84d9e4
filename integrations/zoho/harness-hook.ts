/**
 * @module integrations/zoho/harness-hook
 * For test files: `const startHarness = useZohoHarness()` at file or describe level; every Zoho
 * harness a test starts with it is closed after that test. (Apart from testing.ts, which
 * benchmarks import too, because this registers a vitest hook.)
 */
import { afterEach } from 'vitest'
import type { MemoryKvOptions } from '../../platform/kv/memory.ts'
import type { ZohoSimulatorOptions } from '../../simulators/zoho/index.ts'
import { startZohoHarness, type ZohoHarness } from './testing.ts'

export const useZohoHarness = () => {
  const open: ZohoHarness[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((harness) => harness.close()))
  })
  return async (
    simOptions: ZohoSimulatorOptions = {},
    kvOptions: MemoryKvOptions = {},
  ): Promise<ZohoHarness> => {
    const harness = await startZohoHarness(simOptions, kvOptions)
    open.push(harness)
    return harness
  }
}
