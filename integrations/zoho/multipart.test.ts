import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../../test/wait-for.ts'
import { escapeFilename, multipartBody } from './multipart.ts'

const chunks = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part))
      controller.close()
    },
  })

/** An endless pull-based source that counts how many bytes were taken from it. */
const counting = (chunkBytes: number) => {
  const counter = { pulled: 0 }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        counter.pulled += chunkBytes
        controller.enqueue(new Uint8Array(chunkBytes))
      },
    },
    { highWaterMark: 0 },
  )
  return { counter, stream }
}

describe('streamed multipart body', () => {
  it('frames one file part that a multipart parser reads back byte for byte', async () => {
    const body = multipartBody('file', {
      filename: 'call "42".mp3',
      contentType: 'audio/mpeg',
      size: 11,
      body: chunks('hello', ' world'),
    })
    const bytes = new Uint8Array(await new Response(body.stream).arrayBuffer())
    expect(bytes.byteLength).toBe(body.contentLength)
    const form = await new Response(bytes, {
      headers: { 'content-type': body.contentType },
    }).formData()
    const file = form.get('file')
    expect(file).toBeInstanceOf(File)
    expect(await (file as File).text()).toBe('hello world')
    // Escaped on the wire (%22), decoded again by a WHATWG parser.
    expect((file as File).name).toBe('call "42".mp3')
    expect((file as File).type).toBe('audio/mpeg')
  })

  it('escapes quotes and line breaks in filenames so headers cannot be injected', () => {
    expect(escapeFilename('a"\r\nContent-Type: x')).toBe('a%22%0D%0AContent-Type: x')
  })

  it('rejects content types that are not a media type', () => {
    for (const contentType of ['', 'audio', 'audio/mpeg\r\nX-Evil: 1']) {
      expect(() =>
        multipartBody('file', { filename: 'a', contentType, body: chunks('x') }),
      ).toThrow(/content type/)
    }
  })

  it('stops with FILE_TOO_LARGE once the stream passes the limit, and with a size error on a short file', async () => {
    const big = multipartBody(
      'file',
      { filename: 'a', contentType: 'audio/wav', body: chunks('12345', '67890') },
      { maxBytes: 8 },
    )
    await expect(new Response(big.stream).arrayBuffer()).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
    })
    const short = multipartBody('file', {
      filename: 'a',
      contentType: 'audio/wav',
      size: 20,
      body: chunks('12345'),
    })
    await expect(new Response(short.stream).arrayBuffer()).rejects.toThrow(/declared 20/)
  })

  it('reads the file only as fast as the receiver drains it (no buffering of the whole file)', async () => {
    let received = 0
    let paused: http.IncomingMessage | undefined
    const server = http.createServer((request, response) => {
      paused = request
      request.pause()
      request.on('data', (chunk: Buffer) => {
        received += chunk.length
      })
      request.on('end', () => response.end('ok'))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const { counter, stream } = counting(64 * 1024)
      const body = multipartBody('file', {
        filename: 'big.wav',
        contentType: 'audio/wav',
        body: stream.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              if (counter.pulled > 64 * 1024 * 1024) controller.terminate()
              else controller.enqueue(chunk)
            },
          }),
        ),
      })
      const upload = fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': body.contentType },
        body: body.stream,
        duplex: 'half',
      })
      // The receiver reads nothing: the sender must stall after socket and stream buffers fill.
      await waitFor(() => paused !== undefined, { what: 'request arrived' })
      let last = -1
      await waitFor(
        async () => {
          const now = counter.pulled
          const stable = now === last
          last = now
          await new Promise((resolve) => setTimeout(resolve, 50))
          return stable && now > 0
        },
        { what: 'the source to stall' },
      )
      expect(counter.pulled).toBeLessThan(16 * 1024 * 1024)
      expect(received).toBe(0)
      paused?.destroy()
      await upload.catch(() => undefined)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
