import type { Ref, ShallowRef } from 'vue'
import type { NamedRef } from '../domain/settings/settings-catalog.ts'
import type { ErrorDescription } from '../i18n/describe-error.ts'
import type { Translator } from '../i18n/translate.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { onScopeDispose, ref, shallowRef, watch } from 'vue'
import { findCompanies } from '../flows/settings-editor.ts'
import { describeError } from '../i18n/describe-error.ts'
import { PortalError } from '../portal/portal-error.ts'

/** Refusals that mean "this user may not read companies": the CRM right, or a webhook without the `crm` scope. */
const DENIED = new Set(['ACCESS_DENIED', 'insufficient_scope'])

/**
 * Words for a failed company read: a user who may not read companies is told so and whom to ask; anything else as
 * `describeError` says it.
 */
export function describeCompanyFailure(error: unknown, translator: Translator): ErrorDescription {
  if (error instanceof PortalError && DENIED.has(error.code))
    return { description: translator.t('settings.reminders.overrideCompanyDenied'), detail: translator.t('error.where', { method: error.method }) }
  return describeError(error, translator)
}

/** Nothing typed yet, waiting for the portal, an answer (possibly empty), or a failure. */
export type CompanySearchStatus = 'idle' | 'loading' | 'ready' | 'error'

export interface CompanySearchOptions {
  /** The portal to search; null (no session) leaves the search idle. */
  readonly client: PortalClient | null
  /**
   * Quiet time after the last keystroke before one request goes out, in ms.
   * @defaultValue 300
   */
  readonly delayMs?: number
}

/** The search box's state: what is typed, where the search is, what it found. */
export interface CompanySearchState {
  readonly text: Ref<string>
  readonly status: Ref<CompanySearchStatus>
  readonly companies: ShallowRef<readonly NamedRef[]>
  /** A full page came back: typing more of the name narrows it. */
  readonly more: Ref<boolean>
  readonly error: ShallowRef<unknown>
  /** Searches the current text again at once (after a failure). */
  readonly retry: () => Promise<void>
}

/**
 * A debounced company search (`findCompanies`): one request per pause in typing, an answer to an older text never
 * replaces a newer one's, blank text clears without a request.
 */
export function useCompanySearch(options: CompanySearchOptions): CompanySearchState {
  const text = ref('')
  const status = ref<CompanySearchStatus>('idle')
  const companies = shallowRef<readonly NamedRef[]>([])
  const more = ref(false)
  const error = shallowRef<unknown>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let asked = 0

  async function search(): Promise<void> {
    clearTimeout(timer)
    const needle = text.value.trim()
    const ticket = ++asked
    if (needle === '' || !options.client) {
      status.value = 'idle'
      companies.value = []
      return
    }
    status.value = 'loading'
    try {
      const found = await findCompanies(options.client, needle)
      if (ticket !== asked)
        return
      companies.value = found.companies
      more.value = found.more
      error.value = null
      status.value = 'ready'
    }
    catch (failure) {
      if (ticket !== asked)
        return
      error.value = failure
      status.value = 'error'
    }
  }

  watch(text, () => {
    clearTimeout(timer)
    // Typing shows "searching" at once; the request waits for a pause.
    status.value = text.value.trim() === '' ? 'idle' : 'loading'
    timer = setTimeout(() => void search(), options.delayMs ?? 300)
  })
  onScopeDispose(() => clearTimeout(timer))

  return { text, status, companies, more, error, retry: search }
}
