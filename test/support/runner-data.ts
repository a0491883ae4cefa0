// What the scheduled runner's tests put in an empty portal: settings with their own reminder steps, companies with
// an e-mail address, and invoices in the invoices' pipeline (5) awaiting payment.
import type { InvoiceDeskSettings, ReminderStep } from '../../src/domain/settings/settings.ts'
import type { RunnerPortal } from '../cli/support/runner-portal.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'

/** The default settings with these reminder steps, no repeat, and `patch` laid over the rest. */
export function settingsWithSteps(steps: readonly ReminderStep[], patch: (base: InvoiceDeskSettings) => Partial<InvoiceDeskSettings> = () => ({})): InvoiceDeskSettings {
  const base = defaultSettings()
  return { ...base, reminders: { ...base.reminders, steps: [...steps], repeat: null }, ...patch(base) }
}

/** Adds a company with a work e-mail address; returns its id. */
export async function addCompany({ portal, emulator }: Pick<RunnerPortal, 'portal' | 'emulator'>, title: string, email: string): Promise<number> {
  const answer = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 4, fields: { title } })
  // `fm` is read-only through crm.item.add (multifields have their own API): give the company its address in the portal directly.
  const item = emulator.state.entities[4].items.find(entry => entry.id === answer.item.id)!
  Object.assign(item, { hasEmail: 'Y', email, emailWork: email, fm: [{ id: 100 + answer.item.id, valueType: 'WORK', value: email, typeId: 'EMAIL' }] })
  return answer.item.id
}

/** Adds an invoice of `sum` roubles for the company, issued on 20 Feb 2026 and due on `due` (YYYY-MM-DD), manager 2 responsible; returns its id. */
export async function addInvoice({ portal }: Pick<RunnerPortal, 'portal'>, companyId: number, due: string, sum = 1500): Promise<number> {
  const answer = await portal.call<{ item: { id: number } }>('crm.item.add', {
    entityTypeId: 31,
    fields: { title: 'Счёт', companyId, stageId: 'DT31_5:S', categoryId: 5, begindate: '2026-02-20', closedate: due, opportunity: sum, currencyId: 'RUB', assignedById: 2 },
  })
  return answer.item.id
}
