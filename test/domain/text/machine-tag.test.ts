import { describe, expect, it } from 'vitest'
import { foldCollection, parseRecord, taggedText } from '../../../src/domain/collection/collection-record.ts'
import { foldSubscription, parseSubscriptionRecord, subscriptionText } from '../../../src/domain/subscription/subscription-record.ts'
import { machineTagOf, visibleText, withMachineTag } from '../../../src/domain/text/machine-tag.ts'

const reminder = { kind: 'reminder', step: '7', status: 'sent', channel: 'email', runner: 'r1', reason: null, origin: null } as const
const schedule = { frequency: 'monthly', everyDays: null, startDate: '2026-03-01', end: { kind: 'never' }, amount: { kind: 'deal' }, renewOnPayment: false } as const

/** What a person sees of a timeline text: the characters a browser draws. */
function seen(text: string): string {
  return text.replace(/[\u2060\uFE00-\uFE0F]/g, '')
}

describe('domain/text/machine-tag', () => {
  it('shows people only the sentence of a collection record', () => {
    const text = taggedText('Напоминание +7 отправлено клиенту.', reminder)
    expect(seen(text)).toBe('Напоминание +7 отправлено клиенту.')
    expect(text).not.toContain('#invoice-desk')
    expect(text).not.toContain('{')
  })

  it('reads the record back from the hidden part', () => {
    expect(parseRecord(taggedText('Напоминание.', reminder))).toEqual(reminder)
    expect(parseRecord(taggedText('Оплата 1 000 ₽ «Кафе [b]»\nещё строка', { kind: 'payment', amountMinor: 100000, currency: 'RUB', paidOn: '2026-03-05' })))
      .toEqual({ kind: 'payment', amountMinor: 100000, currency: 'RUB', paidOn: '2026-03-05' })
  })

  it('still recognises entries written before, with the visible tag line', () => {
    const old = 'Напоминание +7 отправлено.\n#invoice-desk {"kind":"reminder","step":"7","status":"sent","channel":"email","runner":"r1","reason":null}'
    const state = foldCollection(3, [{ id: 1, created: '2026-03-01T10:00:00+03:00', title: 't', text: old }, { id: 2, created: '2026-03-08T10:00:00+03:00', title: 't', text: taggedText('x', { ...reminder, step: '14' }) }])
    expect(state.reminders.map(r => [r.stepKey, r.status])).toEqual([['7', 'sent'], ['14', 'sent']])
  })

  it('hides and reads back a subscription record; old subscription entries still count', () => {
    const text = subscriptionText('Подписка: ежемесячно', { kind: 'subscription', schedule, by: 4 })
    expect(seen(text)).toBe('Подписка: ежемесячно')
    expect(parseSubscriptionRecord(text)).toEqual({ kind: 'subscription', schedule, by: 4 })
    const old = `Подписка\n#invoice-desk ${JSON.stringify({ kind: 'subscriptionStopped', by: 4 })}`
    expect(foldSubscription([{ id: 1, created: '', title: '', text }, { id: 2, created: '', title: '', text: old }]).status).toBe('stopped')
  })

  it('gives the visible text without the hidden part and ignores a damaged one', () => {
    const text = withMachineTag('Оплачено.', { kind: 'x' })
    expect(visibleText(text)).toBe('Оплачено.')
    expect(machineTagOf(text)).toEqual({ kind: 'x' })
    expect(machineTagOf(`${text.slice(0, -3)}`)).toBeNull()
    expect(machineTagOf('просто текст')).toBeNull()
  })
})
