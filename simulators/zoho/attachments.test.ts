import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { type StartedZohoSimulator, startZohoSimulator } from './index.ts'
import { refreshGrantQuery } from './testing.ts'

let started: StartedZohoSimulator[] = []
afterEach(async () => {
  for (const server of started) await server.close()
  started = []
})

const start = async (options: Parameters<typeof startZohoSimulator>[0] = {}) => {
  const server = await startZohoSimulator(options)
  started.push(server)
  const grant = await fetch(`${server.url}/oauth/v2/token?${refreshGrantQuery()}`, {
    method: 'POST',
  })
  const { access_token: token } = (await grant.json()) as { access_token: string }
  const [lead] = server.sim.seed('Leads', [{ Last_Name: 'Recorded' }])
  const headers = { authorization: `Zoho-oauthtoken ${token}` }
  const upload = (file: Blob, name = 'call.wav') => {
    const form = new FormData()
    form.append('file', file, name)
    return fetch(`${server.url}/crm/v8/Leads/${lead?.['id']}/Attachments`, {
      method: 'POST',
      headers,
      body: form,
    })
  }
  return { ...server, headers, leadId: String(lead?.['id']), upload }
}

describe('attachments', () => {
  it('stores a multipart upload sent over HTTP: name, size and sha256, and lists it', async () => {
    const { url, sim, headers, leadId, upload } = await start()
    const content = Buffer.alloc(300_000, 7)
    const res = await upload(new Blob([content], { type: 'audio/x-wav' }))
    expect(res.status).toBe(200)
    const [result] = ((await res.json()) as { data: Record<string, unknown>[] }).data
    expect(result).toMatchObject({
      code: 'SUCCESS',
      message: 'attachment uploaded successfully',
      status: 'success',
    })
    expect(sim.state.attachments()).toEqual([
      expect.objectContaining({
        module: 'Leads',
        recordId: leadId,
        fileName: 'call.wav',
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        contentType: 'audio/x-wav',
      }),
    ])
    const list = await fetch(`${url}/crm/v8/Leads/${leadId}/Attachments?fields=File_Name,Size`, {
      headers,
    })
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([
      { id: expect.any(String), File_Name: 'call.wav', Size: String(content.length) },
    ])
  })

  it('refuses a file over attachmentMaxBytes with FILE_SIZE_MORE_THAN_ALLOWED_SIZE and keeps nothing', async () => {
    const { sim, upload } = await start({ attachmentMaxBytes: 1024 })
    const res = await upload(new Blob([Buffer.alloc(64 * 1024, 1)]))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      code: 'FILE_SIZE_MORE_THAN_ALLOWED_SIZE',
      details: { limit: 1024 },
      message: 'file size is more than the allowed size',
      status: 'error',
    })
    expect(sim.state.attachments()).toEqual([])
    expect((await upload(new Blob([Buffer.alloc(1024, 1)]))).status).toBe(200)
  })

  it('refuses .exe files, uploads without a file, and lists nothing with 204', async () => {
    const { url, headers, leadId, upload } = await start()
    expect((await upload(new Blob(['MZ']), 'setup.exe')).status).toBe(400)
    const empty = await fetch(`${url}/crm/v8/Leads/${leadId}/Attachments`, {
      method: 'POST',
      headers,
      body: new FormData(),
    })
    expect(await empty.json()).toMatchObject({
      code: 'REQUIRED_PARAM_MISSING',
      details: { param_name: 'file' },
    })
    expect(
      (await fetch(`${url}/crm/v8/Leads/${leadId}/Attachments?fields=File_Name`, { headers }))
        .status,
    ).toBe(204)
    const noFields = await fetch(`${url}/crm/v8/Leads/${leadId}/Attachments`, { headers })
    expect(await noFields.json()).toMatchObject({
      code: 'REQUIRED_PARAM_MISSING',
      details: { param_name: 'fields' },
    })
  })

  it('stores a link attachment given as attachmentUrl and title query parameters', async () => {
    const { url, sim, headers, leadId } = await start()
    const link = encodeURIComponent('https://recordings.example.com/r/1')
    const res = await fetch(
      `${url}/crm/v8/Leads/${leadId}/Attachments?attachmentUrl=${link}&title=Recording`,
      {
        method: 'POST',
        headers,
      },
    )
    expect(res.status).toBe(200)
    expect(sim.state.attachments()[0]).toMatchObject({
      fileName: 'Recording',
      linkUrl: 'https://recordings.example.com/r/1',
      size: 0,
    })
  })
})
