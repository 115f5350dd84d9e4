/**
 * Fidelity: Zoho's official Node SDK (`@zohocrm/nodejs-sdk-8.0`, a devDependency) works against
 * the simulator over HTTP: a custom `Environment` gives it the simulator's URLs (API, accounts
 * token URL, file upload), an in-memory `TokenStore` keeps it from writing `sdk_tokens.txt`, and
 * `resourcePath` points its field-metadata cache at a temporary directory. The SDK refreshes its
 * token with a multipart POST, reads `users?type=CurrentUser`, `org`, `settings/modules` and
 * `settings/fields`, then makes the calls below. The SDK ships no types: the few members used
 * are declared here.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type StartedZohoSimulator, startZohoSimulator } from './index.ts'
import { simCredentials } from './testing.ts'

interface SdkRecord {
  addKeyValue(key: string, value: unknown): void
  getKeyValue(key: string): unknown
  getId(): unknown
}
interface SdkApiResponse {
  getStatusCode(): number
  getObject(): unknown
}
interface SdkResponseWrapper {
  getData(): SdkRecord[]
}
interface SdkActionWrapper {
  getData(): { getStatus(): { getValue(): string }; getDetails(): Map<string, unknown> }[]
}
type Ctor<T = object> = new (...args: never[]) => T
interface ZohoSdk {
  Environment: new (url: string, accountsUrl: string, fileUploadUrl: string) => object
  OAuthBuilder: new () => {
    clientId(value: string): ReturnType<ZohoSdk['OAuthBuilder']['prototype']['clientId']>
    clientSecret(value: string): ReturnType<ZohoSdk['OAuthBuilder']['prototype']['clientId']>
    refreshToken(value: string): { build(): object }
  }
  InitializeBuilder: new () => Promise<{
    environment(value: object): unknown
    token(value: object): unknown
    store(value: object): unknown
    resourcePath(value: string): unknown
    initialize(): Promise<void>
  }>
  /** A namespace: the class is `TokenStore.TokenStore`. */
  TokenStore: { TokenStore: Ctor }
  ParameterMap: new () => { add(param: unknown, value: unknown): Promise<void> }
  Record: {
    RecordOperations: new (
      module: string,
    ) => {
      searchRecords(params: unknown): Promise<SdkApiResponse>
      createRecords(body: unknown): Promise<SdkApiResponse>
    }
    Record: new () => SdkRecord
    BodyWrapper: new () => { setData(data: unknown[]): void }
    SearchRecordsParam: { PHONE: unknown }
    ResponseWrapper: Ctor<SdkResponseWrapper>
    ActionWrapper: Ctor<SdkActionWrapper>
  }
  Notes: {
    NotesOperations: new () => { createNotes(body: unknown): Promise<SdkApiResponse> }
    Note: new () => {
      setNoteTitle(v: string): void
      setNoteContent(v: string): void
      setParentId(v: unknown): void
    }
    ParentId: new () => { setModule(v: unknown): Promise<void>; setId(v: bigint): void }
    BodyWrapper: new () => { setData(data: unknown[]): void }
    ActionWrapper: Ctor<SdkActionWrapper>
  }
  Modules: { MinifiedModule: new () => { setAPIName(v: string): void } }
}

/** The SDK has no typings: imported through a variable so TypeScript does not look for them. */
const SDK_PACKAGE: string = '@zohocrm/nodejs-sdk-8.0'

let server: StartedZohoSimulator
let sdk: ZohoSdk
let resources: string

beforeAll(async () => {
  server = await startZohoSimulator()
  resources = mkdtempSync(join(tmpdir(), 'zoho-sdk-'))
  sdk = (await import(SDK_PACKAGE)) as ZohoSdk
  const saved: object[] = []
  class MemoryTokenStore extends sdk.TokenStore.TokenStore {
    findToken = async () => saved[0] ?? null
    findTokenById = async () => saved[0] ?? null
    saveToken = async (token: object) => {
      saved.splice(0, saved.length, token)
    }
    deleteToken = async () => {
      saved.length = 0
    }
    getTokens = async () => [...saved]
    deleteTokens = async () => {
      saved.length = 0
    }
  }
  const environment = new sdk.Environment(server.url, `${server.url}/oauth/v2/token`, server.url)
  const token = new sdk.OAuthBuilder()
    .clientId(simCredentials.clientId)
    .clientSecret(simCredentials.clientSecret)
    .refreshToken(simCredentials.refreshToken)
    .build()
  const builder = await new sdk.InitializeBuilder()
  builder.environment(environment)
  builder.token(token)
  builder.store(new MemoryTokenStore())
  builder.resourcePath(resources)
  await builder.initialize()
})

afterAll(async () => {
  await server?.close()
  if (resources) rmSync(resources, { recursive: true, force: true })
})

describe('the official Zoho SDK against the simulator', () => {
  it('refreshes its token with a multipart form and is given the simulator as api_domain', () => {
    expect(server.sim.stats().tokenRequests).toBe(1)
    expect(server.sim.state.liveAccessTokens()).toHaveLength(1)
  })

  it('searches leads by phone', async () => {
    const [lead] = server.sim.seed('Leads', [{ Last_Name: 'Sdk', Phone: '+1 555 010 4242' }])
    const params = new sdk.ParameterMap()
    await params.add(sdk.Record.SearchRecordsParam.PHONE, '15550104242')
    const response = await new sdk.Record.RecordOperations('Leads').searchRecords(params)
    expect(response.getStatusCode()).toBe(200)
    const wrapper = response.getObject()
    expect(wrapper).toBeInstanceOf(sdk.Record.ResponseWrapper)
    const [found] = (wrapper as SdkResponseWrapper).getData()
    expect(String(found?.getId())).toBe(lead?.['id'])
    expect(found?.getKeyValue('Phone')).toBe('+1 555 010 4242')
  })

  it('creates a lead and adds a note to it', async () => {
    const record = new sdk.Record.Record()
    record.addKeyValue('Last_Name', 'Created by SDK')
    record.addKeyValue('Phone', '+15550109999')
    const body = new sdk.Record.BodyWrapper()
    body.setData([record])
    const created = await new sdk.Record.RecordOperations('Leads').createRecords(body)
    expect(created.getStatusCode()).toBe(201)
    const [result] = (created.getObject() as SdkActionWrapper).getData()
    expect(result?.getStatus().getValue()).toBe('success')
    const leadId = String(result?.getDetails().get('id'))
    expect(server.sim.state.records('Leads').map((lead) => lead['id'])).toContain(leadId)

    const note = new sdk.Notes.Note()
    note.setNoteTitle('Call summary')
    note.setNoteContent('Inbound call, 3:25')
    const parent = new sdk.Notes.ParentId()
    const module = new sdk.Modules.MinifiedModule()
    module.setAPIName('Leads')
    await parent.setModule(module)
    parent.setId(BigInt(leadId))
    note.setParentId(parent)
    const notes = new sdk.Notes.BodyWrapper()
    notes.setData([note])
    const added = await new sdk.Notes.NotesOperations().createNotes(notes)
    expect(added.getStatusCode()).toBe(201)
    const [noteResult] = (added.getObject() as SdkActionWrapper).getData()
    expect(noteResult?.getStatus().getValue()).toBe('success')
    expect(server.sim.state.notes()).toEqual([
      expect.objectContaining({
        Note_Title: 'Call summary',
        Parent_Id: expect.objectContaining({ id: leadId }),
      }),
    ])
  })
})
