/**
 * @module simulators/zoho/deps
 * What every route module gets: the state, the resolved options, the callback notifier, and the
 * simulator's own base URL (`api_domain`).
 */
import type { Notifier } from './notify.ts'
import type { ResolvedOptions } from './options.ts'
import type { SimState } from './state.ts'

export interface Deps {
  readonly state: SimState
  readonly options: ResolvedOptions
  readonly notifier: Notifier
  /** The simulator's base URL: the one set with `setBaseUrl`, else the last request's origin. */
  readonly apiDomain: () => string
}
