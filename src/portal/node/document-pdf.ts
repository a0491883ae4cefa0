import type { IssuedDocument } from '../issue/issue-write.ts'
import type { EmailAttachment } from '../email-activity.ts'
import type { WebhookOptions } from './hook-session.ts'
import { get } from 'node:https'

/** The largest PDF the runner attaches; a bigger one goes as the link only. */
const MAX_PDF_BYTES = 10 * 1024 * 1024

function fileNameOf(disposition: string | undefined, documentId: number): string {
  const match = /filename="?([^";]+)"?/i.exec(disposition ?? '')
  return match?.[1] || `invoice-${documentId}.pdf`
}

/**
 * For the runner (Node): fetches a document's PDF through its `pdfUrlMachine` link — the link for
 * machines, with its own token, no portal session needed (R: api-reference/crm/document-generator/
 * documents/crm-document-generator-document-get.md) — so the e-mail can carry it as `FILES`.
 * Answers null when there is no such link, the answer is not a PDF, or it is over 10 MB; the
 * e-mail then carries the public link only. Not for the browser: the link is cross-origin
 * with no CORS promise.
 */
export function pdfFetcher(options: WebhookOptions = {}): (document: IssuedDocument) => Promise<EmailAttachment | null> {
  return document => new Promise((resolve) => {
    if (!document.pdfUrlMachine?.startsWith('https://')) {
      resolve(null)
      return
    }
    const request = get(document.pdfUrlMachine, { ...(options.caCertificate ? { ca: options.caCertificate } : {}), timeout: 30_000 }, (response) => {
      const chunks: Buffer[] = []
      let size = 0
      response.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_PDF_BYTES)
          response.destroy()
        else chunks.push(chunk)
      })
      response.on('close', () => {
        const body = Buffer.concat(chunks)
        const isPdf = response.statusCode === 200 && size <= MAX_PDF_BYTES && body.subarray(0, 5).toString('latin1') === '%PDF-'
        resolve(isPdf ? { name: fileNameOf(response.headers['content-disposition'], document.id), base64: body.toString('base64') } : null)
      })
    })
    request.on('timeout', () => request.destroy())
    request.on('error', () => resolve(null))
  })
}
