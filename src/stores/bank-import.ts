import type { BankStatement } from '../domain/bank/bank-statement.ts'
import type { PaymentMatch } from '../domain/bank/match-payments.ts'
import type { CsvMapping } from '../domain/bank/parse-csv-statement.ts'
import type { Locale } from '../domain/format.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { BankImportPreparation, DocumentOutcome, OpenedFile } from '../flows/bank-import.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { JournalWrite } from '../flows/journal/record-journal.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { assignInvoices, statementTotals } from '../domain/bank/review-matches.ts'
import { applyCsvMapping, openStatementFile, prepareBankImport } from '../flows/bank-import.ts'
import { recordBankPaymentsWithJournal } from '../flows/bank-payments-with-journal.ts'
import type { BankCompute } from '../flows/bank-compute.ts'
import { inlineBankCompute } from '../flows/bank-compute.ts'
import { workerBankCompute } from '../workers/bank-statement-client.ts'

/** idle → reading (the file, the portal) → mapping (a CSV's columns) → ready (review) | error. */
export type BankImportPhase = 'idle' | 'reading' | 'mapping' | 'ready' | 'error'

/** Confidences selected for recording without the accountant's click; low ones wait for a look. */
const PRESELECTED = new Set(['high', 'medium', 'manual'])

let sharedCompute: BankCompute | null = null

/** Parsing and matching in a Web Worker in the browser (a 100,000-document statement never blocks the page); here in tests. */
function bankCompute(): BankCompute {
  sharedCompute ??= typeof Worker === 'function' && import.meta.env.MODE !== 'test' ? workerBankCompute() : inlineBankCompute
  return sharedCompute
}

/**
 * The statement import on the app page: the file, the proposed matches as the accountant edits
 * them (accept, skip, change the invoice), and the outcome of recording them. One file at a time.
 */
export const useBankImportStore = defineStore('bank-import', () => {
  const phase = ref<BankImportPhase>('idle')
  const fileName = ref('')
  const csv = shallowRef<Extract<OpenedFile, { kind: 'csv' }> | null>(null)
  const prep = shallowRef<BankImportPreparation | null>(null)
  /** The matches as reviewed: `prep.matches` with the accountant's changes. */
  const matches = shallowRef<readonly PaymentMatch[]>([])
  /**
   * The chosen matches' indexes. A shallow ref of a plain Set, replaced on every change: a deep
   * reactive Set of 100,000 indexes tracks each `has` and froze the page for seconds.
   */
  const selected = shallowRef<ReadonlySet<number>>(new Set())
  const error = shallowRef<unknown>(null)
  const progress = ref<{ phase: 'records' | 'record', done: number, total: number } | null>(null)
  const recording = ref(false)
  const recordError = shallowRef<unknown>(null)
  const outcomes = shallowRef<DocumentOutcome[] | null>(null)
  /** What became of the journal entries of the recorded payments. */
  const journal = shallowRef<JournalWrite | null>(null)

  const totals = computed(() => statementTotals(matches.value))
  const selectable = computed(() => matches.value.flatMap((match, i) => (match.status === 'matched' ? [i] : [])))
  const allSelected = computed(() => selectable.value.length > 0 && selectable.value.every(i => selected.value.has(i)))
  function onProgress(phase: 'records' | 'record', done: number, total: number): void {
    progress.value = { phase, done, total }
  }

  function reset(): void {
    phase.value = 'idle'
    fileName.value = ''
    csv.value = prep.value = error.value = recordError.value = outcomes.value = progress.value = journal.value = null
    matches.value = []
    selected.value = new Set()
  }

  async function match(portal: PortalClient, statement: BankStatement): Promise<void> {
    phase.value = 'reading'
    prep.value = await prepareBankImport(portal, statement, { onProgress, compute: bankCompute() })
    matches.value = prep.value.matches
    selected.value = new Set(selectable.value.filter(i => PRESELECTED.has(matches.value[i]?.confidence ?? '')))
    phase.value = 'ready'
  }

  async function guarded(work: () => Promise<void>): Promise<void> {
    error.value = null
    try {
      await work()
    }
    catch (caught) {
      error.value = caught
      phase.value = 'error'
    }
  }

  /** Reads the file; a 1C statement is matched at once, a CSV waits for its columns. */
  function open(portal: PortalClient, name: string, file: Uint8Array | Blob): Promise<void> {
    reset()
    fileName.value = name
    phase.value = 'reading'
    return guarded(async () => {
      const opened = await openStatementFile(portal, file, bankCompute())
      if (opened.kind === 'csv') {
        csv.value = opened
        phase.value = 'mapping'
      }
      else {
        await match(portal, opened.statement)
      }
    })
  }

  function applyMapping(portal: PortalClient, mapping: CsvMapping): Promise<void> {
    const file = csv.value
    return file ? guarded(async () => match(portal, await applyCsvMapping(portal, file, mapping))) : Promise.resolve()
  }

  function toggle(index: number): void {
    const next = new Set(selected.value)
    if (!next.delete(index))
      next.add(index)
    selected.value = next
  }

  function toggleAll(): void {
    selected.value = allSelected.value ? new Set() : new Set(selectable.value)
  }

  /** The accountant's choice of invoices for one payment; an empty choice leaves it unmatched (and unselected). */
  function assign(index: number, invoiceIds: readonly number[]): void {
    if (!prep.value)
      return
    const next = [...matches.value]
    next[index] = assignInvoices(matches.value, index, invoiceIds, prep.value.invoices)
    matches.value = next
    const chosen = new Set(selected.value)
    if (next[index]!.status === 'matched')
      chosen.add(index)
    else
      chosen.delete(index)
    selected.value = chosen
  }

  /** Records the selected matches and journals them (`recordBankPaymentsWithJournal`), the outcomes shown before the journal is written; a second click while it runs does nothing; never in test mode. */
  async function record(portal: PortalClient, settings: InvoiceDeskSettings, locale: Locale, isAdmin = false): Promise<void> {
    const current = prep.value
    if (!current || recording.value || outcomes.value || selected.value.size === 0 || settings.testMode)
      return
    recording.value = true
    recordError.value = null
    const chosen = matches.value.filter((_, i) => selected.value.has(i))
    try {
      const recorded = await recordBankPaymentsWithJournal(portal, chosen, { stages: current.stages, settings, env: { today: current.today, locale, isAdmin } }, 'user', {
        onProgress,
        onRecorded: (done) => {
          outcomes.value = done
        },
      })
      journal.value = recorded.journal
    }
    catch (caught) {
      recordError.value = caught
    }
    finally {
      recording.value = false
    }
  }

  return { phase, fileName, csv, prep, matches, selected, error, progress, recording, recordError, outcomes, journal, totals, selectable, allSelected, reset, open, applyMapping, toggle, toggleAll, assign, record }
})
