import type { IssueStep } from '../domain/issue/issue-progress.ts'
import type { JournalActor, JournalEntry } from '../domain/journal/journal-entry.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { JournalWrite } from './journal/record-journal.ts'
import type { IssueEnvironment, IssuePreparation, IssueResult, ResendResult } from './issue-and-send.ts'
import { issueEntries, resendEntries } from './journal/journal-entries.ts'
import { recordJournal } from './journal/record-journal.ts'
import { prepareIssue, resendInvoice, runIssue } from './issue-and-send.ts'

/** Who the journal names as the actor, and the app trigger the "sent" batch fires (admins only; null or absent: none). */
export interface IssueJournalActor {
  readonly by: JournalActor
  readonly sentTrigger?: string | null
}

/**
 * The environment of a journaled run: the chain's, plus `onResult`, called with the chain's result
 * before the journal is written (a screen shows the outcome at once; the bench counts the chain's
 * requests apart from the journal's).
 */
export type JournaledIssueEnvironment = IssueEnvironment & {
  readonly onResult?: (result: IssueResult) => void | Promise<void>
}

/** What a journaled run did: the chain's result, the entries written and what became of them. */
export interface JournaledIssue {
  readonly result: IssueResult
  readonly entries: readonly JournalEntry[]
  readonly journal: JournalWrite
}

/** How one issue chain is run: with the environment it is given (its `onProgress` tracks the steps). */
export type IssueChain = (env: IssueEnvironment) => Promise<IssueResult>

/**
 * Runs an issue chain once, then writes its journal entries for `target` (the deal, and the client's
 * address the e-mail went to; '' names no address) (`issueEntries`: one per step done by
 * this run, one for the failed step, one per follow-up that did not go as planned) in one write.
 * The steps are tracked from the chain's `onProgress` (the caller's own `onProgress` is still
 * called). Never throws for the journal: a journal that cannot be written is in `journal`, the
 * invoice stays as the chain left it. The chain's own errors are as the chain reports them.
 */
export async function journaledIssue(portal: PortalClient, settings: InvoiceDeskSettings, target: { readonly dealId: number, readonly to: string }, actor: IssueJournalActor, env: JournaledIssueEnvironment, chain: IssueChain): Promise<JournaledIssue> {
  const steps: Partial<Record<IssueStep, string>> = {}
  const { onResult, ...issueEnv } = env
  const result = await chain({
    ...issueEnv,
    onProgress: (step, status) => {
      steps[step] = status
      env.onProgress?.(step, status)
    },
  })
  await onResult?.(result)
  const entries = issueEntries({ dealId: target.dealId, steps: steps as Record<IssueStep, string>, result, to: target.to, by: actor.by, sentTrigger: actor.sentTrigger ?? null }, env.locale)
  const journal = await recordJournal(portal, settings, entries)
  return { result, entries, journal }
}

/**
 * "Issue and send", then journal it: `runIssue` on a preparation (see `prepareIssue`), then its
 * entries written with the preparation's settings, the plan's client address and `actor` as the
 * actor. The one composition a click (the deal tab's store), the bench and any other caller share.
 */
export function issueWithJournal(portal: PortalClient, preparation: IssuePreparation, env: JournaledIssueEnvironment, actor: IssueJournalActor): Promise<JournaledIssue> {
  const target = { dealId: preparation.snapshot.deal.id, to: preparation.plan?.client.email ?? '' }
  return journaledIssue(portal, preparation.snapshot.settings, target, actor, env, chainEnv => runIssue(portal, preparation, chainEnv))
}

/**
 * The app trigger of the "sent" step, named in the journal: the admin's chosen code (`env.triggerCode`,
 * null: none), else the settings' "sent" trigger. A non-admin's send does not fire it (app triggers
 * fire only with an admin's token): the chain then warns `needsAdmin`, and the journal names the trigger
 * that waits for an admin (`issueEntries` writes "fired" only without that warning).
 */
export function sentTriggerOf(settings: InvoiceDeskSettings, env: Pick<IssueEnvironment, 'isAdmin' | 'triggerCode'>): string | null {
  return env.triggerCode === undefined ? settings.processes.events.sent.triggerCode : env.triggerCode
}

/** What a journaled re-send did: the re-send's result, and the journal write (null: nothing was sent yet, nothing written). */
export interface JournaledResend {
  readonly result: ResendResult
  readonly journal: JournalWrite | null
}

/**
 * «Отправить ещё раз», then journal it: a fresh read of the deal (`prepareIssue`), the sent
 * invoice e-mailed again (`resendInvoice`), then its entries written with the settings the read
 * found; `onResult` sees the result before the journal is written. A read or send that throws is a failed re-send, journaled like one; an invoice not sent
 * yet writes nothing.
 */
export async function resendWithJournal(portal: PortalClient, dealId: number, settings: InvoiceDeskSettings, env: IssueEnvironment, onResult?: (result: ResendResult) => void): Promise<JournaledResend> {
  let invoiceId: number | null = null
  let stored = settings
  let result: ResendResult
  try {
    const fresh = await prepareIssue(portal, dealId, settings, env)
    invoiceId = fresh.snapshot.existing?.invoice.id ?? null
    stored = fresh.snapshot.settings
    result = await resendInvoice(portal, fresh, env)
  }
  catch (caught) {
    result = { status: 'failed', error: caught }
  }
  onResult?.(result)
  if (result.status === 'not-sent-yet')
    return { result, journal: null }
  return { result, journal: await recordJournal(portal, stored, resendEntries(result, dealId, invoiceId, env.locale)) }
}
