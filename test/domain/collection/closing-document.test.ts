import type { ClosingRecord } from '../../../src/domain/collection/collection-state.ts'
import { describe, expect, it } from 'vitest'
import { closingClaimWinner, closingDecision, closingEmail, closingOrigin } from '../../../src/domain/collection/closing-document.ts'
import { DEFAULT_CLOSING_EMAIL } from '../../../src/domain/settings/default-settings.ts'

const NOW = Date.parse('2026-12-04T12:00:00+03:00')
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString()
const record = (logId: number, status: ClosingRecord['status'], runner: string, minutesAgo = 1): ClosingRecord => ({ logId, at: at(minutesAgo), status, runner, documentId: status === 'sent' ? 77 : null })

describe('domain/collection/closing-document', () => {
  it.each([
    ['no records', [], [], { kind: 'go' }],
    ['sent once', [record(1, 'claim', 'a'), record(2, 'sent', 'a')], [], { kind: 'sent', documentId: 77 }],
    ['a live claim of another attempt', [record(1, 'claim', 'a')], [], { kind: 'inProgress' }],
    ['a claim older than the lease, no e-mail', [record(1, 'claim', 'a', 11)], [], { kind: 'go' }],
    ['a claim whose e-mail exists without its sent record', [record(1, 'claim', 'a', 60)], [closingOrigin(9, 'a')], { kind: 'unconfirmed', runner: 'a' }],
    ['a refused attempt (failed settles it), its e-mail activity left', [record(1, 'claim', 'a'), record(2, 'failed', 'a')], [closingOrigin(9, 'a')], { kind: 'go' }],
  ] as const)('%s', (_, closings, origins, expected) => {
    expect(closingDecision(closings, new Set(origins), 9, NOW)).toEqual(expected)
  })

  it('elects the lowest open claim within the lease', () => {
    const closings = [record(3, 'claim', 'old', 30), record(5, 'claim', 'b'), record(4, 'claim', 'a'), record(6, 'failed', 'a')]
    expect(closingClaimWinner(closings, NOW)?.runner).toBe('b')
    expect(closingClaimWinner([], NOW)).toBeNull()
  })

  it('escapes the client and template names in the e-mail and links only http(s)', () => {
    const email = closingEmail(DEFAULT_CLOSING_EMAIL.ru, 'Акт <b>', { 'client.name': '<script>', 'invoice.number': '12', 'document.link': 'https://p.example/~x' })
    expect(email.subject).toBe('Закрывающий документ по счёту № 12')
    expect(email.html).toContain('&lt;script&gt;')
    expect(email.html).toContain('«Акт &lt;b&gt;»')
    expect(email.html).toContain('<a href="https://p.example/~x">')
  })

  it('renders the admin\'s own template: {document.name} in subject and body, a name with braces never a placeholder', () => {
    const template = { subject: '{document.name} по счёту {invoice.number}', body: 'Добрый день! Ваш {document.name}: {document.link}' }
    const email = closingEmail(template, 'УПД {client.name}', { 'client.name': 'ООО «Ромашка»', 'invoice.number': '12', 'document.link': 'https://p.example/~x' })
    expect(email.subject).toBe('УПД client.name по счёту 12')
    expect(email.html).toContain('Добрый день! Ваш УПД client.name: <a href="https://p.example/~x">')
  })

  it('(en) the default English text', () => {
    const email = closingEmail(DEFAULT_CLOSING_EMAIL.en, 'Act', { 'invoice.number': '12', 'client.name': 'Romashka', 'document.link': 'https://p.example/~x' })
    expect(email.subject).toBe('Closing document for invoice No. 12')
    expect(email.html).toContain('Closing document «Act»')
  })
})
