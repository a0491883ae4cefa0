/**
 * Serves generated documents (see ../methods/crm-document.ts for the links):
 * - `/bitrix/services/main/ajax.php?action=crm.documentgenerator.document.download|getPdf|getImage&id=N` (the
 *   browser links `downloadUrl`, `pdfUrl`, `imageUrl`): portal pages for a logged-in user, so they answer only with
 *   the portal session cookie the shell pages set (`PORTAL_SESSION_COOKIE`); an anonymous GET gets 401 and a login
 *   page (R: api-reference/crm/document-generator/documents/crm-document-generator-document-list.md offers the
 *   `…Machine` links for machines; the public link is the one for outsiders);
 * - `/rest/crm.documentgenerator.document.download|getPdf|getImage.json?id=N&token=T` (the `…Machine` links;
 *   the token is checked, CORS as for /rest/);
 * - `/~<code>` (the public link of enablepublicurl: an HTML page) and `/~<code>/document.pdf`.
 * `download` (the "DOCX original") serves the same PDF bytes, named `<title>.pdf`. The PDF and the image
 * answer 404 until the conversion is done (or when it failed).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHash } from 'node:crypto'
import { invoiceFlow, type GeneratedDocument } from '../data/invoice-flow-state.ts'
import type { PortalEngine } from '../engine.ts'
import { conversionState } from '../methods/crm-document.ts'
import { buildPdf, PREVIEW_PNG, transliterate } from './pdf.ts'

type FileKind = 'download' | 'getpdf' | 'getimage'

const AJAX_PATH = '/bitrix/services/main/ajax.php'

/** The portal session cookie: set by the shell pages (a logged-in user's browser), required by the ajax.php links. */
export const PORTAL_SESSION_COOKIE = 'PHPSESSID'

/** The `Set-Cookie` value the shell pages send: one session per emulator process is enough to tell "logged in" from anonymous. */
export function portalSessionCookie(): string {
  return `${PORTAL_SESSION_COOKIE}=${PORTAL_SESSION}; Path=/; HttpOnly; SameSite=Lax`
}

const PORTAL_SESSION = createHash('sha1').update(`session:${process.pid}:${Date.now()}`).digest('hex').slice(0, 24)

function hasPortalSession(req: IncomingMessage): boolean {
  return (req.headers.cookie ?? '').split(';').some(part => part.trim() === `${PORTAL_SESSION_COOKIE}=${PORTAL_SESSION}`)
}

const LOGIN_PAGE = '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Авторизация</title></head><body><h1>Авторизация</h1><p>Войдите в Битрикс24, чтобы открыть документ.</p></body></html>'
const MACHINE_PATH = /^\/rest\/crm\.documentgenerator\.document\.(download|getpdf|getimage)(?:\.json)?$/i
const PUBLIC_PATH = /^\/~([a-z0-9]+)(\/document\.pdf)?\/?$/i

function send(res: ServerResponse, status: number, type: string, body: Buffer | string, headers: Record<string, string> = {}): void {
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': buffer.length, ...headers })
  res.end(buffer)
}

const notFound = (res: ServerResponse, text = 'Document not found'): void => send(res, 404, 'text/plain; charset=utf-8', text)

function fileName(document: GeneratedDocument, extension: string): string {
  return `${transliterate(document.title).replace(/[^\w.-]+/g, '_')}.${extension}`
}

export function documentPdf(document: GeneratedDocument): Buffer {
  return buildPdf(document.title, document.lines)
}

function sendFile(res: ServerResponse, document: GeneratedDocument, kind: FileKind): void {
  if (kind === 'download') {
    send(res, 200, 'application/pdf', documentPdf(document), { 'Content-Disposition': `attachment; filename="${fileName(document, 'pdf')}"` })
    return
  }
  if (conversionState(document) !== 'done') {
    notFound(res, 'The document has not been converted yet')
    return
  }
  if (kind === 'getimage') send(res, 200, 'image/png', PREVIEW_PNG)
  else send(res, 200, 'application/pdf', documentPdf(document), { 'Content-Disposition': `inline; filename="${fileName(document, 'pdf')}"` })
}

const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, char => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char)

function publicPage(document: GeneratedDocument, code: string): string {
  const ready = conversionState(document) === 'done'
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${escapeHtml(document.title)}</title></head><body>`
    + `<h1>${escapeHtml(document.title)}</h1><pre>${escapeHtml(document.lines.join('\n'))}</pre>`
    + (ready ? `<p><a href="/~${code}/document.pdf">PDF</a></p>` : '<p>The document is being prepared.</p>')
    + '</body></html>'
}

/** Answers a document file request; returns false when the path is not one of them. */
export function handleDocgenRequest(engine: PortalEngine, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  const documents = invoiceFlow(engine.state).documents
  const byId = (): GeneratedDocument | undefined => documents.find(document => document.id === Number(url.searchParams.get('id')))
  if (url.pathname === AJAX_PATH) {
    const action = (url.searchParams.get('action') ?? '').toLowerCase()
    const match = /^crm\.documentgenerator\.document\.(download|getpdf|getimage)$/.exec(action)
    if (!match) return false
    if (!hasPortalSession(req)) {
      send(res, 401, 'text/html; charset=utf-8', LOGIN_PAGE)
      return true
    }
    const document = byId()
    if (!document) notFound(res)
    else sendFile(res, document, match[1] as FileKind)
    return true
  }
  const machine = MACHINE_PATH.exec(url.pathname)
  if (machine && url.searchParams.has('token')) {
    const document = byId()
    if (!document || document.fileToken !== url.searchParams.get('token')) notFound(res)
    else sendFile(res, document, (machine[1] ?? '').toLowerCase() as FileKind)
    return true
  }
  const publicMatch = PUBLIC_PATH.exec(url.pathname)
  if (publicMatch) {
    const code = publicMatch[1] ?? ''
    const document = documents.find(entry => entry.publicCode === code)
    if (!document) notFound(res)
    else if (publicMatch[2]) sendFile(res, document, 'getpdf')
    else send(res, 200, 'text/html; charset=utf-8', publicPage(document, code))
    return true
  }
  return false
}
