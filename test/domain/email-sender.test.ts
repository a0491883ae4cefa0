import type { EmailSender } from '../../src/domain/settings/settings.ts'
import { describe, expect, it } from 'vitest'
import { formatMessageFrom, messageSender } from '../../src/domain/email-sender.ts'

const sender = (patch: Partial<EmailSender>): EmailSender => ({ source: 'portal', name: '', address: '', copyToSender: false, ...patch })
const maria = { name: 'Мария Смирнова', email: 'maria.smirnova@invoice-desk.example' }

describe('domain/email-sender', () => {
  it.each([
    ['no setting (a document stored before it): the portal picks', undefined, maria, { messageFrom: null, fallback: 'portal' }],
    ['portal: no MESSAGE_FROM even with a manager', sender({}), maria, { messageFrom: null, fallback: 'portal' }],
    ['responsible: "Name Surname <e-mail>" of user.get', sender({ source: 'responsible' }), maria, { messageFrom: 'Мария Смирнова <maria.smirnova@invoice-desk.example>', fallback: null }],
    ['responsible without an e-mail in the profile: the portal picks', sender({ source: 'responsible' }), { name: 'Мария', email: '' }, { messageFrom: null, fallback: 'noManagerEmail' }],
    ['responsible unknown: the portal picks', sender({ source: 'responsible' }), null, { messageFrom: null, fallback: 'noManagerEmail' }],
    ['company: the fixed address', sender({ source: 'company', name: 'Бухгалтерия', address: 'billing@example.com' }), maria, { messageFrom: 'Бухгалтерия <billing@example.com>', fallback: null }],
  ] as const)('%s', (_case, setting, manager, expected) => {
    expect(messageSender(setting, manager)).toEqual({ ...expected, copyToSender: false })
  })

  it('keeps the copy to the sender only when asked for', () => {
    expect(messageSender(sender({ source: 'company', name: 'B', address: 'b@example.com', copyToSender: true }), null).copyToSender).toBe(true)
  })

  it('strips what would break the header from a name and leaves a bare address without one', () => {
    expect(formatMessageFrom('Иван "Ваня" <Петров>', 'ivan@example.com')).toBe('Иван Ваня Петров <ivan@example.com>')
    expect(formatMessageFrom('  ', 'ivan@example.com')).toBe('ivan@example.com')
  })
})
