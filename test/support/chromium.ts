// Browser-test support: Debian Chromium driven by playwright-core, and a tiny static file server
// that answers POST like GET (Bitrix24 POSTs to app handlers).
import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Launches headless Chromium (CHROMIUM_PATH or /usr/bin/chromium). */
export async function launchChromium(options: { headless?: boolean } = {}): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install the Debian package chromium or set CHROMIUM_PATH`)
  }
  return chromium.launch({ executablePath, headless: options.headless ?? true, args: CHROMIUM_ARGS })
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

export interface StaticServer {
  url: string
  origin: string
  port: number
  /** Requests seen so far (method and path), newest last. */
  requests: { method: string, path: string }[]
  close(): Promise<void>
}

export interface ServeStaticOptions {
  port?: number
  host?: string
  /** Extra files by URL path, e.g. { '/vendor/b24jssdk.js': '/abs/path/index.min.js' }. */
  files?: Record<string, string>
  /** Serve index.html for unknown extension-less paths (single-page apps). Default true. */
  spaFallback?: boolean
  /** Let the browser keep the hashed files under `/assets/` (`immutable`), as a real host does; default every file `no-store`. */
  cacheAssets?: boolean
}

/**
 * Serves `dir` over http on 127.0.0.1. GET, HEAD and POST all return the file (POST bodies are drained
 * and ignored), directories return their index.html.
 */
export async function serveStatic(dir: string, options: ServeStaticOptions = {}): Promise<StaticServer> {
  const root = resolve(dir)
  const host = options.host ?? '127.0.0.1'
  const requests: StaticServer['requests'] = []
  const server = createServer(async (req, res) => {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://localhost')
    requests.push({ method, path: url.pathname + url.search })
    req.resume()
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      res.writeHead(405, { Allow: 'GET, HEAD, POST' })
      res.end()
      return
    }
    const file = await resolveFile(root, decodeURIComponent(url.pathname), options)
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('Not found')
      return
    }
    try {
      const body = await readFile(file)
      const cached = options.cacheAssets === true && url.pathname.startsWith('/assets/')
      res.writeHead(200, { 'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'Cache-Control': cached ? 'public, max-age=31536000, immutable' : 'no-store' })
      res.end(method === 'HEAD' ? undefined : body)
    }
    catch {
      res.writeHead(500)
      res.end()
    }
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, host, () => ok())
  })
  const port = (server.address() as AddressInfo).port
  const origin = `http://${host}:${port}`
  return {
    url: origin + '/',
    origin,
    port,
    requests,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections()
      server.close(() => ok())
    }),
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  }
  catch {
    return false
  }
}

async function resolveFile(root: string, pathname: string, options: ServeStaticOptions): Promise<string | null> {
  const extra = options.files?.[pathname]
  if (extra) return extra
  const candidate = normalize(join(root, pathname))
  if (candidate !== root && !candidate.startsWith(root + sep)) return null
  if (await isFile(candidate)) return candidate
  const index = join(candidate, 'index.html')
  if (await isFile(index)) return index
  if ((options.spaFallback ?? true) && !extname(pathname)) {
    const rootIndex = join(root, 'index.html')
    if (await isFile(rootIndex)) return rootIndex
  }
  return null
}
