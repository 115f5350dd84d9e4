/**
 * @module simulators/zoho/oas
 * Test support: loads Zoho's OpenAPI files (reference data in shared/zoho-oas/v8.0, read in
 * place, never copied into the project) into ajv so simulator responses can be validated.
 * Cross-file `$ref`s name raw.githubusercontent.com URLs: each local file is registered under
 * its URL. Files the copy lacks (tags, custom_views, layouts, profiles, related_lists) become
 * permissive stubs at exactly the pointers that are referenced. {@link oasDefects} lists the
 * spec errors patched in memory, each with its reason.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv, type ErrorObject } from 'ajv'
import addFormatsModule from 'ajv-formats'

/** Where the OAS copy lives, relative to this file. */
export const OAS_DIR = new URL('../../../shared/zoho-oas/v8.0/', import.meta.url)
const RAW_BASE = 'https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/'

type Json = { [key: string]: unknown }

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Walks a JSON pointer (`/a/b~1c`) into `doc`. */
export const atPointer = (doc: unknown, pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), doc)

const setAtPointer = (doc: Json, pointer: string, value: unknown) => {
  const keys = pointer.split('/').slice(1)
  let node = doc
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] ??= value
      return
    }
    node[key] ??= {}
    node = node[key] as Json
  })
}

const refsIn = (node: unknown, out: string[] = []): string[] => {
  if (Array.isArray(node)) for (const item of node) refsIn(item, out)
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value)
      else refsIn(value, out)
    }
  }
  return out
}

/** Spec errors patched before validating, each with why. */
export const oasDefects: readonly { file: string; pointer: string; patch: Json; why: string }[] = [
  {
    file: 'notifications.json',
    pointer: '/components/schemas/Notification/properties/channel_id',
    patch: { type: 'string' },
    why: 'typed "object"; channel ids are longs, listed as strings (the enable response types them string)',
  },
  {
    file: 'notifications.json',
    pointer: '/components/schemas/Notification/properties/notify_url',
    patch: { type: 'string' },
    why: 'pattern www[.][a-z]{5}zoho[.]com would only accept Zoho-owned URLs',
  },
  {
    file: 'users.json',
    pointer: '/components/schemas/users/properties/email',
    patch: { type: 'string' },
    why: 'pattern [a-z0-9]{9}@[a-z0-9]{5}.com would refuse almost every real address',
  },
  {
    file: 'record.json',
    pointer: '/components/schemas/Success_Response/properties/duplicate_field',
    patch: { type: 'string', nullable: true },
    why: "Zoho's own upsert sample answers an insert with duplicate_field: null",
  },
]

export interface ZohoOas {
  /** Validates `body` against the schema at `file` + JSON `pointer`; returns the errors. */
  validate(file: string, pointer: string, body: unknown): ErrorObject[]
  /** JSON pointer of the response schema of an operation (following a `$ref` response). */
  responsePointer(file: string, path: string, method: string, status: string): string
}

/** Loads the OAS copy, or returns null when it is not there. */
export const loadZohoOas = (): ZohoOas | null => {
  const dir = fileURLToPath(OAS_DIR)
  if (!existsSync(dir)) return null
  const docs = new Map<string, Json>()
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    docs.set(file, JSON.parse(readFileSync(new URL(file, OAS_DIR), 'utf8')) as Json)
  }
  for (const defect of oasDefects) {
    const doc = docs.get(defect.file)
    const target = doc && atPointer(doc, defect.pointer)
    if (isObject(target)) {
      for (const key of Object.keys(target)) delete target[key]
      Object.assign(target, defect.patch)
    }
  }
  const stubs = new Map<string, Json>()
  for (const doc of docs.values()) {
    for (const ref of refsIn(doc)) {
      if (!ref.startsWith(RAW_BASE)) continue
      const [file = '', pointer = ''] = ref.slice(RAW_BASE.length).split('#')
      if (docs.has(file)) continue
      const stub = stubs.get(file) ?? {}
      setAtPointer(stub, pointer, {})
      stubs.set(file, stub)
    }
  }
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false }))
  for (const [file, doc] of [...docs, ...stubs]) ajv.addSchema(doc, `${RAW_BASE}${file}`)

  return {
    validate(file, pointer, body) {
      const check = ajv.compile({ $ref: `${RAW_BASE}${file}#${pointer}` })
      return check(body) ? [] : [...(check.errors ?? [])]
    },
    responsePointer(file, path, method, status) {
      const doc = docs.get(file)
      const escaped = path.replaceAll('~', '~0').replaceAll('/', '~1')
      let pointer = `/paths/${escaped}/${method}/responses/${status}`
      const response = atPointer(doc, pointer)
      if (isObject(response) && typeof response['$ref'] === 'string') {
        pointer = response['$ref'].slice(1)
      }
      if (atPointer(doc, `${pointer}/content/application~1json/schema`) === undefined) {
        throw new Error(`no JSON schema for ${method} ${path} ${status} in ${file}`)
      }
      return `${pointer}/content/application~1json/schema`
    },
  }
}
