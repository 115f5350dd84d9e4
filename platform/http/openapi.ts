/**
 * @module platform/http/openapi
 * GET /openapi.json, generated from the routes' zod schemas (hono-openapi), and GET /docs, an
 * interactive Swagger UI served from the swagger-ui-dist package: no CDN, so it works on a
 * closed network.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Hono } from 'hono'
import { openAPIRouteHandler } from 'hono-openapi'
import { absolutePath } from 'swagger-ui-dist'

const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'text/javascript',
  'swagger-ui-standalone-preset.js': 'text/javascript',
}

const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>callbridge API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs-init.js"></script>
</body></html>`

const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' })`

export const mountApiDocs = (app: Hono, { title, version }: { title: string; version: string }) => {
  const uiDir = absolutePath()
  app.get(
    '/openapi.json',
    openAPIRouteHandler(app, {
      documentation: {
        openapi: '3.1.0',
        info: {
          title,
          version,
          description:
            'HTTP endpoints of callbridge. Webhooks are verified, deduplicated and published to Kafka; every process also serves health and metrics.',
        },
      },
      exclude: ['/openapi.json', '/docs', '/docs/assets/:file'],
    }),
  )
  app.get('/docs', (c) => c.html(page))
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file')
    if (file === 'docs-init.js') return c.body(init, 200, { 'Content-Type': 'text/javascript' })
    const type = assets[file]
    if (!type) return c.json({ error: 'not_found', message: `no asset ${file}` }, 404)
    const body = await readFile(path.join(uiDir, file))
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' })
  })
}
