import type { Ref, ShallowRef } from 'vue'
import type { SubscriptionPeriod } from '../domain/subscription/subscription-period.ts'
import type { SubscriptionSchedule } from '../domain/subscription/subscription-schedule.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { IssueResult } from '../flows/issue-and-send.ts'
import type { DealSubscriptionView } from '../flows/subscriptions.ts'
import type { PortalEnvironment } from './usePortalEnvironment.ts'
import { computed, ref, shallowRef } from 'vue'
import { periodLabel } from '../domain/subscription/subscription-messages.ts'
import { loadDealSubscription, saveSubscription, stopSubscription } from '../flows/subscriptions.ts'
import { issueSubscriptionPeriodWithJournal } from '../flows/subscription-issue.ts'

/** Where the section is: closed until asked for (the tab's first paint stays one request), reading, shown, failed. */
export type DealSubscriptionStatus = 'closed' | 'loading' | 'ready' | 'error'

/** A period issued by hand and what came of it. */
export interface IssuedPeriod {
  readonly period: string
  readonly result: IssueResult
}

/** The deal tab's subscription section: its state and its actions, for a view that only renders them. */
export interface DealSubscriptionState {
  readonly status: Ref<DealSubscriptionStatus>
  readonly view: ShallowRef<DealSubscriptionView | null>
  readonly loadError: ShallowRef<unknown>
  readonly editing: Ref<boolean>
  readonly saving: Ref<boolean>
  readonly saveError: ShallowRef<unknown>
  /** The purpose of the period being issued by hand; null when none is. */
  readonly issuing: Ref<string | null>
  readonly issued: ShallowRef<IssuedPeriod | null>
  /** The running subscription's state; null when the deal has none. */
  readonly active: Readonly<Ref<Extract<DealSubscriptionView['state'], { status: 'active' }> | null>>
  /** In test mode (or before the settings are read) no period is issued by hand either. */
  readonly testMode: Readonly<Ref<boolean>>
  /** One round trip (`loadDealSubscription`), the settings beside it (no request). */
  readonly load: () => Promise<void>
  /** Sets or changes the schedule (one write), then reads what the portal holds. */
  readonly save: (schedule: SubscriptionSchedule) => Promise<void>
  /** Stops the subscription (one write), then reads what the portal holds. */
  readonly stop: () => Promise<void>
  /**
   * Issues a due or missed period now, through the runner's chain (its key keeps it to one
   * invoice), journals it, calls `onInvoiced` when an invoice now exists for it, then reads again.
   */
  readonly issue: (period: SubscriptionPeriod) => Promise<void>
}

/**
 * The subscription of one deal: read when opened, set, change, stop, issue a period by hand.
 * `onInvoiced` is told when a period's invoice was created (the tab's list should show it).
 */
export function useDealSubscription(env: PortalEnvironment, dealId: () => number, onInvoiced: () => void): DealSubscriptionState {
  const status = ref<DealSubscriptionStatus>('closed')
  const view = shallowRef<DealSubscriptionView | null>(null)
  const loadError = shallowRef<unknown>(null)
  const editing = ref(false)
  const saving = ref(false)
  const saveError = shallowRef<unknown>(null)
  const issuing = ref<string | null>(null)
  const issued = shallowRef<IssuedPeriod | null>(null)
  /** The settings, read (lazily, like the section) when it opens. */
  const settings = shallowRef<InvoiceDeskSettings | null>(null)
  const testMode = computed(() => settings.value?.testMode ?? true)
  const active = computed(() => (view.value?.state.status === 'active' ? view.value.state : null))

  async function load(): Promise<void> {
    status.value = 'loading'
    try {
      const [loaded, stored] = await Promise.all([loadDealSubscription(env.client, dealId()), settings.value ?? env.settings()])
      view.value = loaded
      settings.value = stored
      status.value = 'ready'
    }
    catch (caught) {
      loadError.value = caught
      status.value = 'error'
    }
  }

  /** One write, then one read to show what the portal now holds. */
  async function write(work: () => Promise<void>): Promise<void> {
    saving.value = true
    saveError.value = null
    try {
      await work()
      editing.value = false
      await load()
    }
    catch (caught) {
      saveError.value = caught
    }
    finally {
      saving.value = false
    }
  }

  function save(schedule: SubscriptionSchedule): Promise<void> {
    return write(() => saveSubscription(env.client, dealId(), schedule, view.value?.userId ?? null, env.locale))
  }

  function stop(): Promise<void> {
    return write(() => stopSubscription(env.client, dealId(), view.value?.userId ?? null, env.locale))
  }

  async function issue(period: SubscriptionPeriod): Promise<void> {
    const schedule = active.value?.schedule
    if (!schedule || issuing.value)
      return
    issuing.value = period.purpose
    issued.value = null
    const stored = settings.value ?? await env.settings()
    const { result } = await issueSubscriptionPeriodWithJournal(env.client, dealId(), schedule, period, stored, {
      ...env.issueEnvironment(),
      // The outcome shows at once; the journal is written after it.
      onResult: (outcome) => {
        issued.value = { period: periodLabel(period, env.locale), result: outcome }
        issuing.value = null
      },
    }, { by: 'user' })
    if (result.status === 'sent' || result.status === 'awaiting-approval' || (result.status === 'failed' && result.invoiceId !== null))
      onInvoiced()
    await load()
  }

  return { status, view, loadError, editing, saving, saveError, issuing, issued, active, testMode, load, save, stop, issue }
}
