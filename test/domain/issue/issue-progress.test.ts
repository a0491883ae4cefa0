import { describe, expect, it } from 'vitest'
import { EMPTY_TRACE, remainingSteps } from '../../../src/domain/issue/issue-progress.ts'

describe('domain/issue/issue-progress', () => {
  it.each([
    ['nothing done', EMPTY_TRACE, ['invoice', 'products', 'document', 'pdf', 'email', 'stages', 'notify']],
    ['invoice and rows exist', { ...EMPTY_TRACE, invoiceId: 7, rowCount: 2 }, ['document', 'pdf', 'email', 'stages', 'notify']],
    ['the PDF is still converting', { ...EMPTY_TRACE, invoiceId: 7, rowCount: 2, documentId: 3 }, ['pdf', 'email', 'stages', 'notify']],
    ['e-mailed, stages not moved', { ...EMPTY_TRACE, invoiceId: 7, rowCount: 2, documentId: 3, pdfUrl: 'https://x/pdf', emailActivityId: 11 }, ['stages', 'notify']],
    ['all done', { invoiceId: 7, rowCount: 2, documentId: 3, pdfUrl: 'https://x/pdf', emailActivityId: 11, invoiceInSentStage: true, notified: true }, []],
  ])('after "%s" the retry continues with the rest', (_case, trace, steps) => {
    expect(remainingSteps(trace)).toEqual(steps)
  })
})
