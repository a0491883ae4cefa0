import type { IssueRefusal } from '../domain/issue/issue-plan.ts'
import type { IssueStep } from '../domain/issue/issue-progress.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { IssueDryRun, IssueEnvironment, IssuePreparation, IssueResult, ResendResult } from '../flows/issue-and-send.ts'
import type { JournalWrite } from '../flows/journal/record-journal.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { ISSUE_STEPS } from '../domain/issue/issue-progress.ts'
import { dryRunIssue, prepareIssue } from '../flows/issue-and-send.ts'
import { issueWithJournal, resendWithJournal, sentTriggerOf } from '../flows/issue-with-journal.ts'
import { dryRunEntries } from '../flows/journal/journal-entries.ts'
import { useJournalStore } from './journal.ts'

/** Where the one-click chain is: nothing yet, reading, showing the preview, running, finished. */
export type IssuePhase = 'idle' | 'preparing' | 'preview' | 'refused' | 'running' | 'finished' | 'failed' | 'dry-run'
export type StepStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed'

function freshSteps(): Record<IssueStep, StepStatus> {
  return Object.fromEntries(ISSUE_STEPS.map(step => [step, 'pending'])) as Record<IssueStep, StepStatus>
}

const ATTEMPTS_KEY = 'invoice-desk:issue-attempts'

/** This tab's attempt ids by invoice key: sessionStorage outlives a reload of the tab but is not shared with other tabs. */
function storedAttempts(storage: Storage | null): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(ATTEMPTS_KEY) ?? '{}')
    return parsed && typeof parsed === 'object' ? parsed as Record<string, string> : {}
  }
  catch {
    return {}
  }
}

function attemptIdFor(key: string, storage: Storage | null): string {
  const attempts = storedAttempts(storage)
  const id = attempts[key] ?? globalThis.crypto.randomUUID()
  try {
    storage?.setItem(ATTEMPTS_KEY, JSON.stringify({ ...attempts, [key]: id }))
  }
  catch {
    // Storage full or blocked: the attempt then lives as long as this page does.
  }
  return id
}

function sessionStore(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null
  }
  catch {
    return null
  }
}

/** The deal tab's "issue and send" action: preview, progress per step, outcome; one run at a time. */
export const useIssueInvoiceStore = defineStore('issue-invoice', () => {
  const phase = ref<IssuePhase>('idle')
  const preparation = shallowRef<IssuePreparation | null>(null)
  const steps = ref<Record<IssueStep, StepStatus>>(freshSteps())
  const result = shallowRef<IssueResult | null>(null)
  const error = shallowRef<unknown>(null)
  /** The dry run's plan (test mode, or the manager asked for one); nothing was written. */
  const dryRunResult = shallowRef<IssueDryRun | null>(null)
  /** What became of the journal entries of the last run. */
  const journal = shallowRef<JournalWrite | null>(null)
  /** Invoice keys this window started issuing: it may continue them at once after a failure. */
  const ownKeys = new Set<string>()
  /** Seconds the chain waits for Bitrix24's request limit right now; null when it is not waiting. */
  const limitWait = ref<number | null>(null)

  const refusals = computed<readonly IssueRefusal[]>(() => preparation.value?.refusals ?? [])
  const busy = computed(() => phase.value === 'preparing' || phase.value === 'running')

  /** Round trip 1: reads the deal and shows what will happen (or why it cannot). */
  async function prepare(portal: PortalClient, dealId: number, settings: InvoiceDeskSettings, env: Pick<IssueEnvironment, 'now' | 'timeZone' | 'isAdmin'>): Promise<void> {
    if (busy.value)
      return
    phase.value = 'preparing'
    error.value = null
    result.value = null
    dryRunResult.value = null
    steps.value = freshSteps()
    try {
      preparation.value = await prepareIssue(portal, dealId, settings, env)
      phase.value = preparation.value.refusals.length > 0 ? 'refused' : 'preview'
    }
    catch (caught) {
      error.value = caught
      phase.value = 'failed'
    }
  }

  /** Shows everything the click would do, writes nothing (no REST call); the session's journal keeps it, marked as a dry run. */
  function dryRun(env: Pick<IssueEnvironment, 'now' | 'locale' | 'isAdmin'>, userId: number): IssueDryRun | null {
    if (busy.value || !preparation.value)
      return null
    const planned = dryRunIssue(preparation.value, env)
    if (!planned)
      return null
    dryRunResult.value = planned
    phase.value = 'dry-run'
    useJournalStore().addDryRun(dryRunEntries(planned, env.locale), env.now, userId)
    return planned
  }

  /** Runs the chain once, then journals what it did (`issueWithJournal`); a second click while it runs does nothing. In test mode it is a dry run. */
  async function run(portal: PortalClient, env: IssueEnvironment, userId = 0, emailDecision?: 'sent' | 'resend'): Promise<IssueResult | null> {
    if (busy.value || !preparation.value)
      return null
    if (preparation.value.snapshot.settings.testMode) {
      dryRun(env, userId)
      return null
    }
    phase.value = 'running'
    steps.value = freshSteps()
    const plan = preparation.value.plan
    if (plan && preparation.value.trace.invoiceId === null)
      ownKeys.add(plan.invoice.key)
    const { settings } = preparation.value.snapshot
    const done = await issueWithJournal(portal, preparation.value, {
      ...env,
      ownKeys,
      attemptId: plan ? attemptIdFor(plan.invoice.key, sessionStore()) : null,
      emailDecision,
      onProgress: (step, status) => {
        steps.value = { ...steps.value, [step]: status }
      },
      onLimitWait: (ms) => {
        limitWait.value = Math.ceil(ms / 1000)
      },
      onLimitResume: () => {
        limitWait.value = null
      },
      // The outcome shows at once; the journal is written after it.
      onResult: (outcome) => {
        limitWait.value = null
        if (outcome.status === 'failed')
          steps.value = { ...steps.value, [outcome.step]: 'failed' }
        result.value = outcome
        phase.value = outcome.status === 'failed' ? 'failed' : 'finished'
        journal.value = null
      },
    }, { by: 'user', sentTrigger: sentTriggerOf(settings, env) })
    journal.value = done.journal
    return done.result
  }

  const resending = ref(false)
  const resent = shallowRef<ResendResult | null>(null)

  /** E-mails the sent invoice again (after a fresh read); one at a time. */
  async function resend(portal: PortalClient, dealId: number, settings: InvoiceDeskSettings, env: IssueEnvironment): Promise<void> {
    if (busy.value || resending.value)
      return
    resending.value = true
    resent.value = null
    try {
      const done = await resendWithJournal(portal, dealId, settings, env, (result) => {
        resent.value = result
        resending.value = false
      })
      if (done.journal)
        journal.value = done.journal
    }
    finally {
      resending.value = false
    }
  }

  function reset(): void {
    if (busy.value)
      return
    phase.value = 'idle'
    preparation.value = null
    result.value = null
    dryRunResult.value = null
    error.value = null
    steps.value = freshSteps()
  }

  return { phase, preparation, steps, result, dryRunResult, journal, error, refusals, busy, resending, resent, limitWait, prepare, run, dryRun, resend, reset }
})
