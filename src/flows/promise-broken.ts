import type { CalendarDate } from '../domain/calendar-date.ts'
import type { CollectionState } from '../domain/collection/collection-state.ts'
import type { Locale } from '../domain/format.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ProcessOutcome } from './business-process.ts'
import type { SweepPreparation } from './run-reminders.ts'
import { taggedText } from '../domain/collection/collection-record.ts'
import { balanceOf } from '../domain/collection/collection-state.ts'
import { formatCalendarDate } from '../domain/format.ts'
import { readCollectionStates } from '../portal/collection/collection-log.ts'
import { recordWrite, writeLogEntries } from '../portal/reminders/reminder-send.ts'
import { startProcesses, unfinishedOutcomes } from './business-process.ts'

/** An invoice whose client promised to pay by `on` and did not. */
export interface BrokenPromise {
  readonly invoiceId: number
  readonly on: CalendarDate
  /** This sweep recorded it and started its processes (false: another sweep did, or a dry run). */
  readonly acted: boolean
  /** The "promise broken" processes and trigger that did not start. */
  readonly processWarnings: readonly ProcessOutcome[]
}

const TEXT = {
  ru: { title: 'Invoice Desk: обещание оплаты не выполнено', text: (on: CalendarDate) => `Клиент обещал оплатить до ${formatCalendarDate(on, 'ru')}, оплаты нет. Напоминания снова идут по графику.` },
  en: { title: 'Invoice Desk: promise to pay broken', text: (on: CalendarDate) => `The client promised to pay by ${formatCalendarDate(on, 'en')} and has not. Reminders follow the schedule again.` },
} as const

/**
 * Promised days that passed with a balance still owed, found in the records the sweep read: each
 * is written once into the invoice's timeline (a `promiseBroken` record) and the "promise broken"
 * processes start once — two sweeps that both write the record agree, like reminder claims, that
 * the lower log id acts. Round trips: none when no promise broke; else 1 write, 1 read back, and
 * the processes' batches (only when configured).
 */
export async function handleBrokenPromises(portal: PortalClient, prep: SweepPreparation, options: { readonly locale: Locale, readonly isAdmin?: boolean, readonly dryRun?: boolean }): Promise<BrokenPromise[]> {
  const byId = new Map(prep.scope.invoices.map(invoice => [invoice.id, invoice]))
  const broken = [...prep.contexts.values()]
    .map(context => context.state)
    .filter((state) => {
      const invoice = byId.get(state.invoiceId)
      return invoice !== undefined && state.promisedOn !== null && state.promisedOn < prep.clock.today
        && balanceOf(invoice.amount, state).amountMinor > 0
        && !(state.brokenPromises ?? []).some(entry => entry.on === state.promisedOn)
    })
    .map(state => ({ invoiceId: state.invoiceId, on: state.promisedOn! }))
  if (broken.length === 0 || options.dryRun)
    return broken.map(entry => ({ ...entry, acted: false, processWarnings: [] }))
  const text = TEXT[options.locale]
  const written = await writeLogEntries(portal, broken.map(entry => [String(entry.invoiceId), recordWrite(entry.invoiceId, text.title, taggedText(text.text(entry.on), { kind: 'promiseBroken', on: entry.on }))] as const))
  const mine = broken.filter(entry => 'id' in (written.get(String(entry.invoiceId)) ?? { error: true }))
  const states: Map<number, CollectionState> = mine.length > 0 ? await readCollectionStates(portal, mine.map(entry => entry.invoiceId)) : new Map()
  const out: BrokenPromise[] = []
  for (const entry of broken) {
    const own = written.get(String(entry.invoiceId))
    const records = (states.get(entry.invoiceId)?.brokenPromises ?? []).filter(record => record.on === entry.on)
    const first = records.reduce<number | null>((low, record) => (low === null || record.logId < low ? record.logId : low), null)
    const acted = own !== undefined && 'id' in own && first === own.id
    const invoice = byId.get(entry.invoiceId)
    const started = acted ? await startProcesses(portal, 'promiseBroken', { dealId: invoice?.dealId ?? null, invoiceId: entry.invoiceId }, prep.settings, { isAdmin: options.isAdmin ?? false }) : []
    out.push({ ...entry, acted, processWarnings: unfinishedOutcomes(started).filter(o => o.kind === 'process' || o.status !== 'needs-admin') })
  }
  return out
}
