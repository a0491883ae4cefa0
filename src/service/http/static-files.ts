import type { ServerResponse } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
}

/**
 * Serves the built app (`dist/`). Bitrix24 opens placements with a POST to the handler URL
 * (R: api-reference/widgets/ui-interaction/index.md … the frame is loaded by a form POST), so a POST
 * is answered like a GET; a path that is not a file gets `index.html` (the single-page app reads
 * its placement from the frame). Never serves outside `distDir`.
 */
export async function serveStatic(distDir: string, pathname: string, res: ServerResponse): Promise<void> {
  const root = normalize(distDir)
  let file = normalize(join(root, decodeURIComponent(pathname)))
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end()
    return
  }
  const info = await stat(file).catch(() => null)
  if (!info || info.isDirectory())
    file = join(root, 'index.html')
  const body = await readFile(file).catch(() => null)
  if (!body) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('The app is not built: run `npm run build`.')
    return
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body)
}
