import type { CollectionState } from '../../../src/domain/collection/collection-state.ts'
import type { ReminderClock, ReminderInvoice, ReminderPlan, ReminderSkip } from '../../../src/domain/reminders/plan-reminders.ts'
import type { ReminderSettings } from '../../../src/domain/settings/settings.ts'
import { describe, expect, it } from 'vitest'
import { planReminders, RECORDED_SKIP_REASONS, REMINDER_CLAIM_LEASE_MS } from '../../../src/domain/reminders/plan-reminders.ts'
import { clockAt, openInvoice, reminderRecord, reminderSettings, sentSteps, stateOf } from './reminder-fixtures.ts'

// The default invoice is due Monday 30 November 2026; its schedule (business days, 09:00):
// -3 Fri 27 Nov, 0 Mon 30 Nov, +3 Thu 3 Dec, +7 Mon 7 Dec (task), +14 Mon 14 Dec (escalate),
// r1 21 Dec, r2 28 Dec, r3 11 Jan 2027 (escalate).

const historyOf = (...states: CollectionState[]) => new Map(states.map(state => [state.invoiceId, state]))
const plan = (invoices: ReminderInvoice[], history: ReadonlyMap<number, CollectionState>, now: ReminderClock, settings: ReminderSettings = reminderSettings()) =>
  planReminders(invoices, history, settings, now)
/** `invoiceId:stepKey channel` of every item sent, in send order. */
const sent = (result: ReminderPlan) => result.sends.flatMap(send => send.items.map(item => `${item.invoiceId}:${item.stepKey} ${send.channel}`))
const skipped = (result: ReminderPlan) => result.skips.map(skip => `${skip.invoiceId}:${skip.stepKey} ${skip.reason}`)

describe('domain/reminders/plan-reminders', () => {
  it('plans nothing when reminders are off', () => {
    expect(plan([openInvoice()], new Map(), clockAt('2026-12-21'), reminderSettings({ enabled: false }))).toEqual({ sends: [], skips: [] })
  })

  it('sends the step of the day from the send hour on, not before (08:59 vs 09:00)', () => {
    const history = historyOf(stateOf(1, { reminders: sentSteps('-3') }))
    const early = plan([openInvoice()], history, clockAt('2026-11-30', 8, 59))
    expect(sent(early)).toEqual([])
    expect(early.skips).toEqual([{ invoiceId: 1, stepKey: '0', reason: 'beforeSendHour', until: null, recorded: false }])
    expect(sent(plan([openInvoice()], history, clockAt('2026-11-30', 9)))).toEqual(['1:0 email'])
  })

  it('holds a missed step until the send hour when the next one is scheduled today, so the client gets one reminder that day', () => {
    const early = plan([openInvoice()], new Map(), clockAt('2026-11-30', 8))
    expect(sent(early)).toEqual([])
    expect(skipped(early)).toEqual(['1:-3 superseded', '1:0 beforeSendHour'])
  })

  it('lists nothing for an invoice with no step due yet', () => {
    expect(plan([openInvoice()], new Map(), clockAt('2026-11-20'))).toEqual({ sends: [], skips: [] })
  })

  it('catches up after 20 days of downtime with one reminder per audience: the client\'s latest e-mail and the team\'s latest step (catch-up.test.ts)', () => {
    const history = historyOf(stateOf(1, { reminders: sentSteps('-3', '0') }))
    const result = plan([openInvoice()], history, clockAt('2026-12-21', 10))
    expect(sent(result)).toEqual(['1:+3 email', '1:r1 escalate'])
    expect(result.sends.slice(1)).toEqual([{
      channel: 'escalate',
      clientKey: 'company:3',
      items: [{ invoiceId: 1, stepKey: 'r1', channel: 'escalate', templateId: 'reminderOverdue', scheduledOn: '2026-12-21', balance: { amountMinor: 1_500_000, currency: 'RUB' }, daysOverdue: 21, staleClaim: false }],
    }])
    expect(skipped(result)).toEqual(['1:+7 superseded', '1:+14 superseded'])
    expect(result.skips.every(skip => !skip.recorded)).toBe(true)
  })

  it('never lists the superseded steps again once a later step is sent', () => {
    const history = historyOf(stateOf(1, { reminders: sentSteps('-3', '0', '+3', 'r1') }))
    expect(plan([openInvoice()], history, clockAt('2026-12-22', 10))).toEqual({ sends: [], skips: [] })
  })

  it('gives an old overdue invoice found at first install one reminder per audience, not the whole schedule', () => {
    const old = openInvoice({ dueDate: '2026-09-01' })
    expect(sent(plan([old], new Map(), clockAt('2026-11-02')))).toEqual(['1:+3 email', '1:r3 escalate'])
    expect(sent(plan([old], new Map(), clockAt('2026-10-05'), reminderSettings({ repeat: null })))).toEqual(['1:+3 email', '1:+14 escalate'])
  })

  it('plans nothing once the schedule\'s last occurrence is more than CATCH_UP_DAYS behind (the sweep does not read such invoices)', () => {
    const old = openInvoice({ dueDate: '2026-09-01' })
    // +14 is Tue 15 Sep; 30 days later it is still caught up, 31 days later no more.
    expect(sent(plan([old], new Map(), clockAt('2026-10-15'), reminderSettings({ repeat: null })))).toEqual(['1:+3 email', '1:+14 escalate'])
    expect(plan([old], new Map(), clockAt('2026-10-16'), reminderSettings({ repeat: null }))).toEqual({ sends: [], skips: [] })
    // With the three weekly repeats the last occurrence is r3 on Tue 6 Oct.
    expect(sent(plan([old], new Map(), clockAt('2026-11-05')))).toEqual(['1:+3 email', '1:r3 escalate'])
    expect(sent(plan([old], new Map(), clockAt('2026-11-06')))).toEqual([])
  })

  it('repeats r1, r2, r3 and then stops: no r4', () => {
    const history = historyOf(stateOf(1, { reminders: sentSteps('-3', '0', '+3', '+7', '+14', 'r1', 'r2', 'r3') }))
    expect(plan([openInvoice()], history, clockAt('2027-03-01'))).toEqual({ sends: [], skips: [] })
    const beforeLast = historyOf(stateOf(1, { reminders: sentSteps('-3', '0', '+3', '+7', '+14', 'r1', 'r2') }))
    expect(sent(plan([openInvoice()], beforeLast, clockAt('2027-01-11')))).toEqual(['1:r3 escalate'])
  })

  it('sends nothing twice whoever sweeps: a second plan over the history the first one wrote sends nothing', () => {
    const invoices = [openInvoice({ id: 1 }), openInvoice({ id: 2, companyId: 4, dueDate: '2026-11-27' })]
    const now = clockAt('2026-12-03', 11)
    const first = plan(invoices, new Map(), now)
    expect(sent(first)).toEqual(['1:+3 email', '2:+3 email'])
    const written = historyOf(...invoices.map(({ invoice }) => stateOf(invoice.id, {
      reminders: first.sends.flatMap(send => send.items).filter(item => item.invoiceId === invoice.id).map((item, index) => reminderRecord(10 + index, item.stepKey, 'sent')),
    })))
    const second = plan(invoices, written, now)
    expect(second.sends).toEqual([])
    expect(plan(invoices, written, clockAt('2026-12-03', 18)).sends).toEqual([])
  })

  it.each<[string, ReminderInvoice, CollectionState, ReminderSkip['reason']]>([
    ['paid by its stage', { ...openInvoice(), closed: 'paid' }, stateOf(1), 'paid'],
    ['cancelled', { ...openInvoice(), closed: 'cancelled' }, stateOf(1), 'cancelled'],
    ['paid in full through recorded payments', openInvoice(), stateOf(1, { payments: [{ logId: 1, amount: { amountMinor: 1_500_000, currency: 'RUB' }, paidOn: '2026-12-01' }] }), 'paid'],
  ])('sends nothing for an invoice %s, and says so while a step is due', (_name, entry, state, reason) => {
    const result = plan([entry], historyOf(state), clockAt('2026-12-03', 10))
    expect(result.sends).toEqual([])
    expect(result.skips).toEqual([{ invoiceId: 1, stepKey: '+3', reason, until: null, recorded: false }])
    expect(plan([entry], historyOf(state), clockAt('2026-11-20')).skips).toEqual([])
  })

  it('chases a partly paid invoice for its balance', () => {
    const state = stateOf(1, { payments: [{ logId: 1, amount: { amountMinor: 500_000, currency: 'RUB' }, paidOn: '2026-11-30' }], reminders: sentSteps('-3', '0') })
    const result = plan([openInvoice()], historyOf(state), clockAt('2026-12-03', 10))
    expect(result.sends[0]?.items[0]).toMatchObject({ stepKey: '+3', balance: { amountMinor: 1_000_000, currency: 'RUB' }, daysOverdue: 3 })
  })

  it.each([
    ['a balance below the minimum', { amountMinor: 1_000_001, currency: 'RUB' }, 'belowMinimum'],
    ['a balance equal to the minimum', { amountMinor: 1_000_000, currency: 'RUB' }, null],
    ['a minimum in another currency (ignored)', { amountMinor: 9_999_999_00, currency: 'USD' }, null],
  ] as const)('judges %s', (_name, minAmount, reason) => {
    const state = stateOf(1, { payments: [{ logId: 1, amount: { amountMinor: 500_000, currency: 'RUB' }, paidOn: '2026-11-30' }] })
    const result = plan([openInvoice()], historyOf(state), clockAt('2026-12-03', 10), reminderSettings({ minAmount }))
    expect(skipped(result)).toEqual(reason ? [`1:+3 ${reason}`] : ['1:-3 superseded', '1:0 superseded'])
    expect(sent(result)).toEqual(reason ? [] : ['1:+3 email'])
  })

  it('does not chase a disputed invoice, and writes the skip once', () => {
    const dispute = { since: '2026-12-01', reason: 'Не та сумма' }
    const first = plan([openInvoice()], historyOf(stateOf(1, { dispute })), clockAt('2026-12-03', 10))
    expect(first).toEqual({ sends: [], skips: [{ invoiceId: 1, stepKey: '+3', reason: 'disputed', until: null, recorded: false }] })
    const again = plan([openInvoice()], historyOf(stateOf(1, { dispute, reminders: [reminderRecord(5, '+3', 'skipped', { reason: 'disputed' })] })), clockAt('2026-12-04', 10))
    expect(again.skips).toEqual([{ invoiceId: 1, stepKey: '+3', reason: 'disputed', until: null, recorded: true }])
  })

  it('pauses until the promised day, then catches up with one reminder per audience', () => {
    const promised = stateOf(1, { promisedOn: '2026-12-10', reminders: [...sentSteps('-3', '0'), reminderRecord(3, '+3', 'skipped', { reason: 'promised' })] })
    const during = plan([openInvoice()], historyOf(promised), clockAt('2026-12-10', 12))
    expect(during).toEqual({ sends: [], skips: [{ invoiceId: 1, stepKey: '+3', reason: 'promised', until: '2026-12-10', recorded: true }, { invoiceId: 1, stepKey: '+7', reason: 'promised', until: '2026-12-10', recorded: false }] })
    const after = plan([openInvoice()], historyOf(promised), clockAt('2026-12-11', 10))
    expect(sent(after)).toEqual(['1:+3 email', '1:+7 task'])
    expect(skipped(after)).toEqual([])
  })

  it('does not chase a company that opted out', () => {
    const settings = reminderSettings({ companyOverrides: [{ companyId: 3, optOut: true, steps: null }] })
    expect(skipped(plan([openInvoice()], new Map(), clockAt('2026-12-03', 10), settings))).toEqual(['1:+3 optedOut'])
    expect(sent(plan([openInvoice({ companyId: 4 })], new Map(), clockAt('2026-12-03', 10), settings))).toEqual(['1:+3 email'])
  })

  it('follows a company\'s own schedule', () => {
    const settings = reminderSettings({ repeat: null, companyOverrides: [{ companyId: 3, optOut: false, steps: [{ offsetDays: 1, channel: 'notify', templateId: 'reminderOverdue' }] }] })
    expect(sent(plan([openInvoice()], new Map(), clockAt('2026-12-03', 10), settings))).toEqual(['1:+1 notify'])
    expect(sent(plan([openInvoice()], new Map(), clockAt('2026-11-27', 10), settings))).toEqual([])
  })

  it('lists an open invoice without a due date once, and a closed one not at all', () => {
    const noDue = openInvoice({ dueDate: null })
    expect(plan([noDue], new Map(), clockAt('2026-12-03')).skips).toEqual([{ invoiceId: 1, stepKey: null, reason: 'noDueDate', until: null, recorded: false }])
    const written = historyOf(stateOf(1, { reminders: [reminderRecord(1, '-', 'skipped', { reason: 'noDueDate' })] }))
    expect(plan([noDue], written, clockAt('2026-12-04')).skips[0]?.recorded).toBe(true)
    expect(plan([{ ...noDue, closed: 'paid' }], new Map(), clockAt('2026-12-03'))).toEqual({ sends: [], skips: [] })
  })

  it('sends nothing on a day off and lists the step due as nonBusinessDay', () => {
    const saturday = clockAt('2026-12-05', 10)
    const history = historyOf(stateOf(1, { reminders: sentSteps('-3', '0') }))
    expect(plan([openInvoice()], history, saturday)).toEqual({ sends: [], skips: [{ invoiceId: 1, stepKey: '+3', reason: 'nonBusinessDay', until: null, recorded: false }] })
    expect(sent(plan([openInvoice()], history, saturday, reminderSettings({ businessDaysOnly: false })))).toEqual(['1:+3 email'])
    expect(sent(plan([openInvoice()], history, saturday, reminderSettings({ workingWeekends: ['2026-12-05'] })))).toEqual(['1:+3 email'])
  })

  it('groups one client\'s e-mails into one, by due date, and never groups tasks', () => {
    const invoices = [
      openInvoice({ id: 5, dueDate: '2026-11-30' }),
      openInvoice({ id: 4, dueDate: '2026-11-27' }),
      openInvoice({ id: 6, companyId: null, contactId: 9, dueDate: '2026-11-30' }),
      openInvoice({ id: 7, dueDate: '2026-11-26' }),
    ]
    const history = historyOf(stateOf(7, { reminders: sentSteps('-3', '0', '+3') }))
    const grouped = plan(invoices, history, clockAt('2026-12-03', 10), reminderSettings({ groupByClient: true }))
    expect(grouped.sends.map(send => [send.channel, send.clientKey, send.items.map(item => item.invoiceId)])).toEqual([
      ['email', 'company:3', [4, 5]],
      ['task', 'company:3', [7]],
      ['email', 'contact:9', [6]],
    ])
    const single = plan(invoices, history, clockAt('2026-12-03', 10))
    expect(single.sends.map(send => [send.clientKey, send.items.map(item => item.invoiceId)])).toEqual([
      ['company:3', [4]], ['company:3', [5]], ['company:3', [7]], ['contact:9', [6]],
    ])
  })

  it('orders sends by client then invoice id, whatever order the invoices came in', () => {
    const invoices = [openInvoice({ id: 3, companyId: 10 }), openInvoice({ id: 2, companyId: null, contactId: null }), openInvoice({ id: 1, companyId: 9 })]
    expect(plan(invoices, new Map(), clockAt('2026-12-03', 10)).sends.map(send => send.clientKey)).toEqual(['company:9', 'company:10', 'invoice:2'])
  })

  it.each([
    ['a claim of a minute ago: another sweep is sending', 60_000, 'inProgress'],
    ['a claim just inside the lease', REMINDER_CLAIM_LEASE_MS - 1, 'inProgress'],
    ['a claim older than the lease: its runner died', REMINDER_CLAIM_LEASE_MS, 'stale'],
  ] as const)('%s', (_name, ageMs, expected) => {
    const now = clockAt('2026-12-03', 10)
    const claimedAt = new Date(now.instantMs - ageMs).toISOString()
    const history = historyOf(stateOf(1, { reminders: [...sentSteps('-3', '0'), reminderRecord(3, '+3', 'claim', { at: claimedAt })] }))
    const result = plan([openInvoice()], history, now)
    if (expected === 'inProgress') {
      expect(result.sends).toEqual([])
      expect(skipped(result)).toEqual(['1:+3 inProgress'])
    }
    else {
      expect(result.sends[0]?.items[0]).toMatchObject({ stepKey: '+3', staleClaim: true })
    }
  })

  it('ignores a claim a result followed', () => {
    const history = historyOf(stateOf(1, { reminders: [...sentSteps('-3', '0'), reminderRecord(3, '+3', 'claim', { at: '2026-12-03T10:00:00+03:00' }), reminderRecord(4, '+3', 'failed', { reason: 'SMTP' })] }))
    expect(plan([openInvoice()], history, clockAt('2026-12-03', 10)).sends[0]?.items[0]).toMatchObject({ stepKey: '+3', staleClaim: false })
  })

  it('tries a failed step again, but after 3 failures waits for a person', () => {
    const failures = (count: number) => historyOf(stateOf(1, {
      reminders: [...sentSteps('-3', '0'), ...Array.from({ length: count }, (_, index) => reminderRecord(10 + index, '+3', 'failed', { reason: 'no e-mail' }))],
    }))
    expect(sent(plan([openInvoice()], failures(2), clockAt('2026-12-04', 10)))).toEqual(['1:+3 email'])
    const stuck = plan([openInvoice()], failures(3), clockAt('2026-12-04', 10))
    expect(stuck).toEqual({ sends: [], skips: [{ invoiceId: 1, stepKey: '+3', reason: 'failedTooOften', until: null, recorded: false }] })
    // The next step is not held back by it.
    expect(sent(plan([openInvoice()], failures(3), clockAt('2026-12-07', 10)))).toEqual(['1:+7 task'])
  })

  it('never sends again a step whose outcome is unknown: it waits for a person, who records it sent or asks to send it again', () => {
    const base = [...sentSteps('-3', '0'), reminderRecord(10, '+3', 'claim'), reminderRecord(11, '+3', 'unknown', { reason: 'activityFound' })]
    const waiting = plan([openInvoice()], historyOf(stateOf(1, { reminders: base })), clockAt('2026-12-04', 10))
    expect(waiting).toEqual({ sends: [], skips: [{ invoiceId: 1, stepKey: '+3', reason: 'outcomeUnknown', until: null, recorded: false }] })
    expect(RECORDED_SKIP_REASONS.has('outcomeUnknown')).toBe(false)
    const resend = [...base, reminderRecord(12, '+3', 'failed', { reason: 'resend' })]
    expect(sent(plan([openInvoice()], historyOf(stateOf(1, { reminders: resend })), clockAt('2026-12-04', 10)))).toEqual(['1:+3 email'])
    // "Send again" is no failure: two earlier failures and a resend still leave one try.
    const tried = [...sentSteps('-3', '0'), reminderRecord(8, '+3', 'failed'), reminderRecord(9, '+3', 'failed'), ...base.slice(2), reminderRecord(12, '+3', 'failed', { reason: 'resend' })]
    expect(sent(plan([openInvoice()], historyOf(stateOf(1, { reminders: tried })), clockAt('2026-12-04', 10)))).toEqual(['1:+3 email'])
    const confirmed = [...base, reminderRecord(12, '+3', 'sent', { reason: 'confirmed' })]
    expect(plan([openInvoice()], historyOf(stateOf(1, { reminders: confirmed })), clockAt('2026-12-04', 10))).toEqual({ sends: [], skips: [] })
    // The next step is not held back by it.
    expect(sent(plan([openInvoice()], historyOf(stateOf(1, { reminders: base })), clockAt('2026-12-07', 10)))).toEqual(['1:+7 task'])
  })

  it('records only the skips a person needs to see in the history', () => {
    expect([...RECORDED_SKIP_REASONS].sort()).toEqual(['belowMinimum', 'disputed', 'failedTooOften', 'noDueDate', 'optedOut', 'promised'])
  })
})
