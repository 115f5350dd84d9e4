/**
 * @module simulators/ringcentral/openapi
 * Test support: loads RingCentral's OpenAPI 3.0 spec (reference data in
 * ../shared/ringcentral/ringcentral_openapi3.json, read in place, never copied into the project)
 * into ajv, so simulator responses can be validated against the schema of their operation.
 * `#/components/...` references resolve because the whole document is registered under one `$id`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv, type ErrorObject } from 'ajv'
import addFormatsModule from 'ajv-formats'

/** Where the spec lives, relative to this file (the repo is cloned with ../shared beside it). */
export const SPEC_URL = new URL(
  '../../../shared/ringcentral/ringcentral_openapi3.json',
  import.meta.url,
)
const SPEC_ID = 'https://spec.rc-sim.invalid/ringcentral_openapi3.json'

type Json = { [key: string]: unknown }

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1')

/** The spec, loaded for validation. */
export interface RingCentralSpec {
  /** The spec's `info.version`. */
  readonly version: string
  /** The operation's `x-throttling-group`. */
  throttlingGroup(path: string, method: string): string | undefined
  /** Validates `body` against the JSON response schema of `method path` (status `200` or `default`). */
  validateResponse(path: string, method: string, body: unknown): ErrorObject[]
  /** Validates `body` against `#/components/schemas/<name>`. */
  validateComponent(name: string, body: unknown): ErrorObject[]
  /** Validates `body` against an ad-hoc schema (for operations the spec lacks). */
  validate(schema: object, body: unknown): ErrorObject[]
}

/** Loads the spec, or returns null when the file is not there. */
export const loadRingCentralSpec = (): RingCentralSpec | null => {
  const file = fileURLToPath(SPEC_URL)
  if (!existsSync(file)) return null
  const spec = JSON.parse(readFileSync(file, 'utf8')) as Json
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
  const ajv = addFormats(
    new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false }),
  )
  ajv.addSchema(spec, SPEC_ID)
  const operation = (path: string, method: string): Json => {
    const paths = spec['paths']
    const item = isObject(paths) ? paths[path] : undefined
    const op = isObject(item) ? item[method] : undefined
    if (!isObject(op)) throw new Error(`no operation ${method} ${path} in the spec`)
    return op
  }
  const info = spec['info']
  return {
    version: isObject(info) && typeof info['version'] === 'string' ? info['version'] : 'unknown',
    throttlingGroup: (path, method) => {
      const group = operation(path, method)['x-throttling-group']
      return typeof group === 'string' ? group : undefined
    },
    validateResponse(path, method, body) {
      const responses = operation(path, method)['responses']
      const status = isObject(responses) && '200' in responses ? '200' : 'default'
      const pointer = `/paths/${escapePointer(path)}/${method}/responses/${status}/content/application~1json/schema`
      const check = ajv.compile({ $ref: `${SPEC_ID}#${pointer}` })
      return check(body) ? [] : [...(check.errors ?? [])]
    },
    validateComponent(name, body) {
      const check = ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${escapePointer(name)}` })
      return check(body) ? [] : [...(check.errors ?? [])]
    },
    validate(schema, body) {
      const check = ajv.compile(schema)
      return check(body) ? [] : [...(check.errors ?? [])]
    },
  }
}
