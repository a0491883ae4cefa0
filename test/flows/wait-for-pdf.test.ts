import type { IssueEnvironment } from '../../src/flows/issue-and-send.ts'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { waitForPdf } from '../../src/flows/issue-and-send.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const document = { id: 5, pdfUrl: null, publicUrl: 'https://portal/~abc', pdfUrlMachine: null, conversionError: null }

function env(over: Partial<IssueEnvironment> = {}): IssueEnvironment {
  return { now: new Date('2026-11-28T09:00:00Z'), timeZone: 'Europe/Moscow', locale: 'ru', sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 3_000, pdfTimeoutMs: 90_000, ...over }
}

describe('flows/issue-and-send: waiting for the PDF', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('re-reads the document every 3 s until the portal has the PDF, keeping the public link', async () => {
    let reads = 0
    const { client, requests } = createFakePortalClient({
      'crm.documentgenerator.document.get': () => ({ result: { document: { id: 5, pdfUrl: ++reads >= 4 ? 'https://portal/pdf/5' : '' } } }),
    })
    const waiting = waitForPdf(client, document, env())
    await vi.advanceTimersByTimeAsync(9_000)
    expect(requests).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(3_000)
    await expect(waiting).resolves.toMatchObject({ id: 5, pdfUrl: 'https://portal/pdf/5', publicUrl: 'https://portal/~abc' })
    expect(requests).toHaveLength(4)
  })

  it('gives up after the timeout with a clear, retry-safe PDF_TIMEOUT', async () => {
    const { client, requests } = createFakePortalClient({
      'crm.documentgenerator.document.get': { result: { document: { id: 5, pdfUrl: '' } } },
    })
    const waiting = waitForPdf(client, document, env({ pdfTimeoutMs: 30_000, pdfPollMs: 5_000 }))
    const outcome = expect(waiting).rejects.toMatchObject({ code: 'PDF_TIMEOUT', retrySafe: true })
    await vi.advanceTimersByTimeAsync(30_000)
    await outcome
    expect(requests).toHaveLength(6)
  })

  it('stops at once when the portal reports a conversion error', async () => {
    const { client } = createFakePortalClient({
      'crm.documentgenerator.document.get': { result: { document: { id: 5, pdfUrl: '', isTransformationError: true, transformationErrorMessage: 'Converter unavailable' } } },
    })
    const waiting = waitForPdf(client, document, env())
    const outcome = expect(waiting).rejects.toMatchObject({ code: 'PDF_CONVERSION_FAILED', message: 'Converter unavailable' })
    await vi.advanceTimersByTimeAsync(3_000)
    await outcome
  })
})
