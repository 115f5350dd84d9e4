/**
 * The baseline for bench:ingest: the same Hono + @hono/node-server stack answering the webhook
 * route without doing anything (reads the body, answers the same JSON shape).
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.get('/livez', (c) => c.json({ status: 'ok' }))
app.post('/webhooks/ringcentral', async (c) => {
  const body = (await c.req.json()) as { uuid?: string }
  return c.json({ status: 'accepted', id: `rc:${body.uuid}` })
})
const port = Number(process.env['PORT'] ?? 3100)
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`listening on ${port}`))
