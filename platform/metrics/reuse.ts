/**
 * @module platform/metrics/reuse
 * Instruments registered once per registry: a second role (or a second handler) in the same
 * process asking for the same metric gets the one already registered instead of a clash.
 */
import { Counter, Gauge, type Registry } from 'prom-client'

/** The counter `name` on `registry`, created on first use. */
export const counterOn = (
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[] = [],
): Counter => {
  const existing = registry.getSingleMetric(name)
  return existing instanceof Counter
    ? existing
    : new Counter({ name, help, labelNames, registers: [registry] })
}

/** The gauge `name` on `registry` (no labels), created on first use. */
export const gaugeOn = (registry: Registry, name: string, help: string): Gauge => {
  const existing = registry.getSingleMetric(name)
  return existing instanceof Gauge ? existing : new Gauge({ name, help, registers: [registry] })
}
