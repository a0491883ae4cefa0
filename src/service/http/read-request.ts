import type { IncomingMessage } from 'node:http'
import qs from 'qs'

/** The largest body the service reads (Bitrix24's calls are small; a placement POST is a few KB). */
const MAX_BODY_BYTES = 1024 * 1024

/**
 * Reads a request body: Bitrix24 posts events, robot calls and placements form-encoded with
 * nested keys (`auth[application_token]`, `document_id[2]`, R: api-reference/events/index.md), so
 * bodies are parsed with `qs`; JSON bodies are accepted too. Answers `{}` for an empty body.
 */
export async function readRequestBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES)
      throw new Error('Request body too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '')
    return {}
  if ((req.headers['content-type'] ?? '').includes('application/json'))
    return JSON.parse(text) as Record<string, unknown>
  return qs.parse(text, { depth: 5, arrayLimit: 100 }) as Record<string, unknown>
}

/** A string field of a parsed body, '' when absent or not a string. */
export function field(body: Readonly<Record<string, unknown>>, key: string): string {
  const value = body[key]
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
}

/** The `auth` object of a Bitrix24 call as strings. */
export function authOf(body: Readonly<Record<string, unknown>>): Record<string, string> {
  const auth = body.auth
  if (!auth || typeof auth !== 'object')
    return {}
  return Object.fromEntries(Object.entries(auth as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'string' || typeof value === 'number' ? String(value) : '']))
}
