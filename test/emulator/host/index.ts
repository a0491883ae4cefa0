// The Bitrix24-like shell ("host page") of the portal emulator: portal pages, their static assets
// and, in the browser, the parent side of the iframe protocol (static/frame-host.js).
// See ../CONTRACT.md for how the core calls this module.
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface HostContext {
  origin: string
  appUrl: string
}

/** Where the shell's browser assets live; served under {@link ASSET_PREFIX}. */
const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url))
const ASSET_PREFIX = '/_host/'

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
}

/** A page of the shell; the browser side (static/shell.js) renders it from this description. */
export interface PageConfig {
  page: 'deal-list' | 'deal-card' | 'invoice-card' | 'analytics' | 'app' | 'panels' | 'robots' | 'generic'
  id?: string
  path: string
  userId: number
  lang: 'ru' | 'en'
  tab: string | null
  /** `IFRAME=Y`: the page is shown inside a side slider, without the portal chrome. */
  iframe: boolean
  origin: string
  appUrl: string
  appOrigin: string
}

interface Route {
  pattern: RegExp
  page: PageConfig['page']
  title: string
}

const ROUTES: Route[] = [
  { pattern: /^\/crm\/deal\/list\/$/, page: 'deal-list', title: 'Сделки' },
  { pattern: /^\/crm\/deal\/details\/(\d+)\/$/, page: 'deal-card', title: 'Сделка' },
  { pattern: /^\/crm\/type\/31\/details\/(\d+)\/$/, page: 'invoice-card', title: 'Счёт' },
  { pattern: /^\/crm\/analytics\/$/, page: 'analytics', title: 'Аналитика CRM' },
  { pattern: /^\/marketplace\/app\/$/, page: 'app', title: 'Приложение' },
  { pattern: /^\/emulator-panels\/$/, page: 'panels', title: 'Журнал портала' },
  // The deal robot designer (Bitrix24: CRM → Deals → Robots).
  { pattern: /^\/crm\/deal\/automation\/$/, page: 'robots', title: 'Роботы' },
  // Portal paths an app may open with openPath; shown as a plain portal page.
  { pattern: /^\/(crm|company|workgroups|marketplace|stream|tasks)(\/.*)?$/, page: 'generic', title: 'Битрикс24' },
]

export async function handleHostRequest(req: IncomingMessage, res: ServerResponse, url: URL, ctx: HostContext): Promise<boolean> {
  const method = req.method ?? 'GET'
  if (method !== 'GET' && method !== 'POST' && method !== 'HEAD') return false
  // Bitrix24 answers pages to POST as well; drain any body so the socket stays usable.
  if (method === 'POST') req.resume()

  const path = url.pathname
  if (path === '/' || path === '') {
    res.writeHead(302, { 'Location': '/crm/deal/list/' + url.search, 'Cache-Control': 'no-store' })
    res.end()
    return true
  }
  if (path === '/favicon.ico') {
    res.writeHead(302, { Location: ASSET_PREFIX + 'favicon.svg' })
    res.end()
    return true
  }
  if (path.startsWith(ASSET_PREFIX)) return serveAsset(res, path.slice(ASSET_PREFIX.length))

  for (const route of ROUTES) {
    const m = route.pattern.exec(path)
    if (!m) continue
    const config = pageConfig(route.page, route.page === 'generic' ? undefined : m[1], url, ctx)
    const html = renderPage(route.title, config)
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(method === 'HEAD' ? undefined : html)
    return true
  }
  return false
}

function pageConfig(page: PageConfig['page'], id: string | undefined, url: URL, ctx: HostContext): PageConfig {
  const userId = Number.parseInt(url.searchParams.get('user') ?? '1', 10)
  const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'ru'
  return {
    page,
    ...(id === undefined ? {} : { id }),
    path: url.pathname,
    userId: Number.isFinite(userId) && userId > 0 ? userId : 1,
    lang,
    tab: url.searchParams.get('tab'),
    iframe: url.searchParams.get('IFRAME') === 'Y',
    origin: ctx.origin,
    appUrl: ctx.appUrl,
    appOrigin: new URL(ctx.appUrl).origin,
  }
}

/** JSON that is safe inside a <script> element. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

export function renderPage(title: string, config: PageConfig): string {
  const bodyClass = config.iframe ? 'b24-iframe-mode' : 'b24-portal'
  return `<!doctype html>
<html lang="${config.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Битрикс24</title>
<link rel="icon" href="${ASSET_PREFIX}favicon.svg">
<link rel="stylesheet" href="${ASSET_PREFIX}shell.css">
<script type="application/json" id="host-config">${inlineJson(config)}</script>
<script type="module" src="${ASSET_PREFIX}shell.js"></script>
</head>
<body class="${bodyClass}" data-page="${config.page}">
<div id="app-root" class="b24-loading">Загрузка…</div>
</body>
</html>
`
}

async function serveAsset(res: ServerResponse, rel: string): Promise<boolean> {
  const file = normalize(join(STATIC_DIR, decodeURIComponent(rel)))
  if (!file.startsWith(STATIC_DIR.endsWith(sep) ? STATIC_DIR : STATIC_DIR + sep)) return false
  try {
    const body = await readFile(file)
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' })
    res.end(body)
    return true
  }
  catch {
    return false
  }
}
