/**
 * Responses of every operation callbridge uses, validated against RingCentral's OpenAPI spec
 * (../shared/ringcentral/ringcentral_openapi3.json, API 1.0.46, 2021), and each operation's rate
 * limit group compared with the spec's `x-throttling-group`.
 *
 * Documented exceptions (the spec is stale or silent; nothing is loosened globally):
 * - `/restapi/oauth/token` is not in the spec: the token answer is checked against the field list
 *   of the current TokenInfo (reference §6), below as TOKEN_INFO.
 * - Fields newer than the spec (`durationMs`, `partyId` on call-log records) are extra properties,
 *   which the spec's schemas allow; `telephonySessionId` and `Blacklisted` are in it already.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRingCentralSimulator } from './app.ts'
import { loadRingCentralSpec, type RingCentralSpec, SPEC_URL } from './openapi.ts'
import { simClient, startReceiver, subscriptionBody } from './testing.ts'

const spec = loadRingCentralSpec()
const required = process.env['CALLBRIDGE_REQUIRE_SERVICES'] === '1'

/** TokenInfo as the current spec lists it ([EXT] TokenInfo.ts): the 2021 spec has no token path. */
const TOKEN_INFO = {
  type: 'object',
  required: [
    'access_token',
    'token_type',
    'expires_in',
    'refresh_token',
    'refresh_token_expires_in',
    'scope',
    'owner_id',
    'session_id',
  ],
  properties: {
    access_token: { type: 'string', minLength: 1 },
    token_type: { type: 'string', enum: ['bearer'] },
    expires_in: { type: 'integer', minimum: 1 },
    refresh_token: { type: 'string', minLength: 1 },
    refresh_token_expires_in: { type: 'integer', minimum: 1 },
    scope: { type: 'string' },
    owner_id: { type: 'string' },
    endpoint_id: { type: 'string' },
    session_id: { type: 'string' },
  },
}

if (spec === null && required) {
  describe('RingCentral OpenAPI fidelity', () => {
    it('needs the spec file when CALLBRIDGE_REQUIRE_SERVICES=1', () => {
      expect.fail(`missing ${SPEC_URL.pathname}`)
    })
  })
}

describe.skipIf(spec === null)('RingCentral OpenAPI fidelity', () => {
  const s = spec as RingCentralSpec
  const sim = createRingCentralSimulator({
    callLogDelayMs: 0,
    recordingDelayMs: 0,
    blacklistAfterMs: 0,
  })
  sim.setMediaBaseUrl('http://media.rc.test')
  const client = simClient(sim)
  let token = ''
  let receiver: Awaited<ReturnType<typeof startReceiver>>

  beforeAll(async () => {
    receiver = await startReceiver()
    token = (await client.login()).access_token
  })
  afterAll(() => receiver.close())

  /** Checks status 200, the schema of `specPath` and the rate-limit group. */
  const conforms = async (res: Response, specPath: string, method: string) => {
    expect(res.status).toBe(200)
    const body: unknown = await res.json()
    expect(s.validateResponse(specPath, method, body)).toEqual([])
    expect(res.headers.get('x-rate-limit-group')).toBe(
      s.throttlingGroup(specPath, method)?.toLowerCase(),
    )
    return body as Record<string, unknown>
  }

  it('uses the spec version the reference describes, and its validator is not vacuous', () => {
    expect(s.version).toBe('1.0.46')
    const wrong = { records: [{ extension: { id: '2002' }, startTime: 'yesterday' }] }
    const errors = s.validateResponse('/restapi/v1.0/account/{accountId}/call-log', 'get', wrong)
    expect(errors.map((e) => e.instancePath)).toEqual([
      '/records/0/extension/id',
      '/records/0/startTime',
    ])
  })

  it('token: matches TokenInfo (documented exception: not in the 2021 spec)', async () => {
    const res = await client.token({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: 'sim-rc-jwt-credential',
    })
    expect(s.validate(TOKEN_INFO, await res.json())).toEqual([])
    expect(res.headers.get('x-rate-limit-group')).toBe('auth')
  })

  it('subscriptions: create, list, read, update, renew, and a Blacklisted one', async () => {
    const base = '/restapi/v1.0/subscription'
    const created = await conforms(
      await client.post(base, token, subscriptionBody(receiver.url)),
      base,
      'post',
    )
    const id = String(created['id'])
    await conforms(await client.get(base, token), base, 'get')
    await conforms(await client.get(`${base}/${id}`, token), `${base}/{subscriptionId}`, 'get')
    const update = { eventFilters: ['/restapi/v1.0/account/~/telephony/sessions'], expiresIn: 3600 }
    await conforms(
      await client.put(`${base}/${id}`, token, update),
      `${base}/{subscriptionId}`,
      'put',
    )
    await conforms(
      await client.post(`${base}/${id}/renew`, token),
      `${base}/{subscriptionId}/renew`,
      'post',
    )
    receiver.behaviour.status = 503
    await sim.placeCall({
      direction: 'Inbound',
      from: '+15550111',
      to: '+15550100',
      result: 'missed',
    })
    await sim.flush()
    receiver.behaviour.status = 200
    const blacklisted = await conforms(
      await client.get(`${base}/${id}`, token),
      `${base}/{subscriptionId}`,
      'get',
    )
    expect(blacklisted).toMatchObject({
      status: 'Blacklisted',
      blacklistedData: { reason: expect.any(String) },
    })
    const deleted = await client.delete(`${base}/${id}`, token)
    expect(deleted.status).toBe(204)
  })

  it('call log: company and user lists (Simple and Detailed) and one record', async () => {
    const call = await sim.placeCall({
      direction: 'Inbound',
      from: '+15550111',
      to: '+15550100',
      result: 'answered',
      recording: true,
      transferTo: '2003',
    })
    await sim.placeCall({
      direction: 'Inbound',
      from: '+15550112',
      to: '+15550100',
      result: 'voicemail',
    })
    await sim.placeCall({
      direction: 'Outbound',
      from: '+15550100',
      to: '+15550199',
      result: 'missed',
    })
    const company = '/restapi/v1.0/account/{accountId}/call-log'
    const user = '/restapi/v1.0/account/{accountId}/extension/{extensionId}/call-log'
    for (const view of ['Simple', 'Detailed']) {
      const list = await conforms(
        await client.get(`/restapi/v1.0/account/~/call-log?view=${view}&perPage=2`, token),
        company,
        'get',
      )
      expect(list['records']).toHaveLength(2)
      await conforms(
        await client.get(`/restapi/v1.0/account/~/extension/~/call-log?view=${view}`, token),
        user,
        'get',
      )
    }
    const id = call.callLogRecordIds[1] ?? ''
    await conforms(
      await client.get(`/restapi/v1.0/account/~/call-log/${id}?view=Detailed`, token),
      `${company}/{callRecordId}`,
      'get',
    )
    await conforms(
      await client.get(`/restapi/v1.0/account/~/extension/2003/call-log/${id}`, token),
      `${user}/{callRecordId}`,
      'get',
    )
  })

  it('call-log sync: FSync and ISync, company and user', async () => {
    const company = '/restapi/v1.0/account/{accountId}/call-log-sync'
    const fsync = await conforms(
      await client.get(
        '/restapi/v1.0/account/~/call-log-sync?syncType=FSync&recordCount=10',
        token,
      ),
      company,
      'get',
    )
    const syncToken = (fsync['syncInfo'] as { syncToken: string }).syncToken
    await sim.placeCall({
      direction: 'Inbound',
      from: '+15550111',
      to: '+15550100',
      result: 'answered',
    })
    const isync = await conforms(
      await client.get(
        `/restapi/v1.0/account/~/call-log-sync?syncType=ISync&syncToken=${syncToken}`,
        token,
      ),
      company,
      'get',
    )
    expect(isync['records']).toHaveLength(1)
    await conforms(
      await client.get(
        '/restapi/v1.0/account/~/extension/~/call-log-sync?syncType=FSync&recordCount=5&view=Detailed',
        token,
      ),
      '/restapi/v1.0/account/{accountId}/extension/{extensionId}/call-log-sync',
      'get',
    )
  })

  it('recording metadata', async () => {
    const call = await sim.placeCall({
      direction: 'Outbound',
      from: '+15550100',
      to: '+15550199',
      result: 'answered',
      recording: true,
    })
    const body = await conforms(
      await client.get(`/restapi/v1.0/account/~/recording/${call.recordingId}`, token),
      '/restapi/v1.0/account/{accountId}/recording/{recordingId}',
      'get',
    )
    expect(body['contentType']).toBe('audio/mpeg')
  })

  it('SMS', async () => {
    const res = await client.post('/restapi/v1.0/account/~/extension/~/sms', token, {
      from: { phoneNumber: '+15550100' },
      to: [{ phoneNumber: '+15550111' }],
      text: 'Following up on your call.',
    })
    await conforms(res, '/restapi/v1.0/account/{accountId}/extension/{extensionId}/sms', 'post')
  })

  it('error bodies: 404 CMN-102 and 401 match ErrorResponse', async () => {
    const notFound = await client.get('/restapi/v1.0/subscription/nope', token)
    expect(s.validateComponent('ErrorResponse', await notFound.json())).toEqual([])
    const unauthorized = await client.get('/restapi/v1.0/subscription', 'nope')
    expect(s.validateComponent('ErrorResponse', await unauthorized.json())).toEqual([])
  })
})
