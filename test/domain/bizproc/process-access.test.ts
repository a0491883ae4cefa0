import type { ProcessActor } from '../../../src/domain/bizproc/process-access.ts'
import type { ProcessSettings } from '../../../src/domain/settings/settings.ts'
import { describe, expect, it } from 'vitest'
import { blockedStarts } from '../../../src/domain/bizproc/process-access.ts'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'

const none = { processes: [], triggerCode: null }

function settings(): ProcessSettings {
  return {
    events: { issued: none, paid: none, reminder: none, promiseBroken: none, sent: { processes: [{ templateId: 3, document: 'invoice', name: '', parameters: {} }], triggerCode: 'invoice_sent' } },
    approval: { enabled: true, minAmount: null, templateId: 1, document: 'deal', name: 'Согласование счёта' },
  }
}

describe('domain/bizproc/process-access', () => {
  it.each<[string, ProcessActor, string[]]>([
    ['an admin in the app starts everything', { kind: 'user', isAdmin: true }, []],
    ['a manager starts nothing: processes, approval and triggers are admin-only', { kind: 'user', isAdmin: false }, ['sent process #3 adminOnly', 'sent trigger invoice_sent adminOnly', 'approval process Согласование счёта adminOnly']],
    ['an admin\'s webhook with bizproc starts processes, never app triggers', { kind: 'runner', isAdmin: true, bizprocScope: true }, ['sent trigger invoice_sent appContextOnly']],
    ['a webhook without bizproc starts no process', { kind: 'runner', isAdmin: true, bizprocScope: false }, ['sent process #3 noBizprocScope', 'sent trigger invoice_sent appContextOnly', 'approval process Согласование счёта noBizprocScope']],
    ['a manager\'s webhook with bizproc is still refused', { kind: 'runner', isAdmin: false, bizprocScope: true }, ['sent process #3 adminOnly', 'sent trigger invoice_sent appContextOnly', 'approval process Согласование счёта adminOnly']],
    ['an unknown webhook: processes start only if it is an admin\'s with bizproc', { kind: 'runner', isAdmin: null, bizprocScope: null }, ['sent process #3 needsAdminWebhook', 'sent trigger invoice_sent appContextOnly', 'approval process Согласование счёта needsAdminWebhook']],
  ])('%s', (_name, actor, expected) => {
    expect(blockedStarts(settings(), actor).map(entry => `${entry.event} ${entry.kind} ${entry.name} ${entry.reason}`)).toEqual(expected)
  })

  it('the default settings\' app triggers do not fire for a manager or the runner', () => {
    const defaults = defaultSettings().processes
    expect(blockedStarts(defaults, { kind: 'user', isAdmin: false }).map(entry => entry.name)).toEqual(['invoice_sent', 'invoice_paid', 'invoice_overdue'])
    expect(blockedStarts(defaults, { kind: 'runner', isAdmin: true, bizprocScope: true }).map(entry => entry.reason)).toEqual(['appContextOnly', 'appContextOnly', 'appContextOnly'])
  })

  it('looks only at the events asked for, and leaves the approval out when told', () => {
    expect(blockedStarts(settings(), { kind: 'user', isAdmin: false }, { events: ['paid'], approval: false })).toEqual([])
  })
})
