import { describe, expect, it } from 'vitest'
import { boundaryOf, MultipartError, type PartInfo, readMultipart } from './multipart.ts'

const streamOf = (text: string, chunkSize: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      const bytes = Buffer.from(text)
      for (let i = 0; i < bytes.length; i += chunkSize)
        controller.enqueue(bytes.subarray(i, i + chunkSize))
      controller.close()
    },
  })

const collect = async (text: string, boundary: string, chunkSize: number) => {
  const parts: (PartInfo & { data: string })[] = []
  await readMultipart(streamOf(text, chunkSize), boundary, (info) => {
    const chunks: Buffer[] = []
    return {
      write: (chunk) => chunks.push(Buffer.from(chunk)),
      end: () => parts.push({ ...info, data: Buffer.concat(chunks).toString() }),
    }
  })
  return parts
}

const body = (boundary: string) =>
  [
    'preamble',
    `--${boundary}`,
    'Content-Disposition: form-data; name="title"',
    '',
    'Recording',
    `--${boundary}`,
    'Content-Disposition: form-data; name="file"; filename="call.wav"',
    'Content-Type: audio/x-wav',
    '',
    `RIFF\r\n--not-the-boundary\r\n${'x'.repeat(100)}`,
    `--${boundary}--`,
    '',
  ].join('\r\n')

describe('readMultipart', () => {
  it('reads every part whatever the chunk size, including a delimiter split across chunks', async () => {
    const boundary = '----sim7f3a'
    for (const chunkSize of [1, 3, 7, 64, 4096]) {
      const parts = await collect(body(boundary), boundary, chunkSize)
      expect(parts).toEqual([
        { name: 'title', filename: null, contentType: null, data: 'Recording' },
        {
          name: 'file',
          filename: 'call.wav',
          contentType: 'audio/x-wav',
          data: `RIFF\r\n--not-the-boundary\r\n${'x'.repeat(100)}`,
        },
      ])
    }
  })

  it('rejects a body that ends before its closing delimiter', async () => {
    const truncated = body('b0').slice(0, -10)
    await expect(collect(truncated, 'b0', 16)).rejects.toBeInstanceOf(MultipartError)
  })

  it('takes the boundary from a multipart content type, quoted or not', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc')
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b')
    expect(boundaryOf('application/json')).toBeNull()
  })
})
