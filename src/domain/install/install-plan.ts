import type { NamedRef } from '../settings/settings-catalog.ts'
import type { Language } from '../settings/settings.ts'
import { JOURNAL_TYPE_TITLE } from '../journal/journal-entry.ts'

/** A placement the app binds at install, titled in Russian (the default) and English. */
export interface AppPlacement {
  readonly placement: string
  readonly title: Readonly<Record<Language, string>>
}

/** The app's placements (README «Installing on a real portal»). The app page `DEFAULT` needs no binding. */
export const APP_PLACEMENTS: readonly AppPlacement[] = [
  { placement: 'CRM_DEAL_DETAIL_TAB', title: { ru: 'Счета', en: 'Invoices' } },
  { placement: 'CRM_DEAL_LIST_MENU', title: { ru: 'Выставить счёт', en: 'Issue an invoice' } },
  { placement: 'CRM_SMART_INVOICE_DETAIL_TAB', title: { ru: 'Счёт', en: 'Invoice' } },
  { placement: 'CRM_ANALYTICS_MENU', title: { ru: 'Дебиторка', en: 'Receivables' } },
]

/** An automation trigger the app registers so stage robots can react to its events (README «Business processes and approval»). */
export interface AppTrigger {
  readonly code: string
  readonly name: Readonly<Record<Language, string>>
}

/** The triggers `invoice_sent`, `invoice_paid`, `invoice_overdue`, named in Russian and English. */
export const APP_TRIGGERS: readonly AppTrigger[] = [
  { code: 'invoice_sent', name: { ru: 'Счёт отправлен клиенту', en: 'Invoice sent to the client' } },
  { code: 'invoice_paid', name: { ru: 'Счёт оплачен', en: 'Invoice paid' } },
  { code: 'invoice_overdue', name: { ru: 'Счёт просрочен', en: 'Invoice overdue' } },
]

/** What the portal has now, as `placement.get`, `crm.automation.trigger.list` and the app options say. */
export interface InstalledState {
  /** `title` is the default (Russian) title, `titleEn` the English one of `langAll` ('' when the binding has none). */
  readonly placements: ReadonlyArray<{ readonly placement: string, readonly handler: string, readonly title: string, readonly titleEn: string }>
  readonly triggers: ReadonlyArray<{ readonly code: string, readonly name: string }>
  /** Schema version of the stored settings; null when none are stored. */
  readonly settingsVersion: number | null
  /**
   * The portal's smart processes (`crm.type.list`). `openPermissions`: created with
   * `isSetOpenPermissions = Y`, so its funnel is open to every user (absent = not known, taken as closed).
   */
  readonly crmTypes: ReadonlyArray<{ readonly entityTypeId: number, readonly title: string, readonly openPermissions?: boolean }>
  /** The journal's smart process as the stored settings name it; null when they name none. */
  readonly journalTypeId: number | null
  /** The portal's first invoice document template (null: none, or the list was refused). */
  readonly invoiceTemplate?: NamedRef | null
  /** The document template the stored settings name; null when they name none. */
  readonly settingsTemplateId?: number | null
}

/** One write install makes. */
export type InstallWrite
  = | { readonly kind: 'unbindPlacement', readonly placement: string, readonly handler: string }
    | { readonly kind: 'bindPlacement', readonly placement: string, readonly handler: string, readonly title: Readonly<Record<Language, string>> }
    | { readonly kind: 'addTrigger', readonly code: string, readonly name: string }
    | { readonly kind: 'createJournalType', readonly entityTypeId: number }
    | { readonly kind: 'saveSettings' }

/** The writes install still has to make, grouped by the step that shows them. Empty groups = already right. */
export interface InstallPlan {
  readonly placements: readonly InstallWrite[]
  readonly triggers: readonly InstallWrite[]
  readonly journal: readonly InstallWrite[]
  readonly settings: readonly InstallWrite[]
  /** The journal's smart process after install: the settings store it. */
  readonly journalTypeId: number
  /**
   * A journal of an earlier install that every user may read and change (created with open
   * permissions), replaced by a closed one: an administrator deletes it or restricts its access in
   * the CRM. null = none.
   */
  readonly openJournalLeft: number | null
  /**
   * The invoice template to store in the settings (id and name), when they name none: install runs as an
   * admin, who may list templates; managers may not, and their issue chain reads the stored one. Null = keep.
   */
  readonly documentTemplate: NamedRef | null
}

/** Template bindings as `crm.documentgenerator.template.list` answers them: `31` = every invoice pipeline, `31_5` = pipeline 5. */
export interface TemplateBinding extends NamedRef {
  readonly entityTypeIds: readonly string[]
}

/** The first template bound to smart invoices (any pipeline), in the portal's order; null when there is none. */
export function firstInvoiceTemplate(templates: readonly TemplateBinding[]): NamedRef | null {
  const found = templates.find(template => template.entityTypeIds.some(type => type === '31' || type.startsWith('31_')))
  return found ? { id: found.id, name: found.name } : null
}

/** The first id Bitrix24 accepts for a new smart process: even numbers from 1030 up (crm-type-add.md). */
const FIRST_TYPE_ID = 1030

/**
 * The journal's smart process: the one the settings name when it still exists and is closed, else a
 * closed one with the journal's title (an earlier install whose settings were lost), else a new one
 * with the next free even id from 1030 (chosen here so the same batch can store it in the settings).
 * A journal created open (installs before journals were closed) is not reused: `crm.type.update`'s
 * `isSetOpenPermissions` concerns only NEW funnels ("Should new funnels be made available to everyone",
 * R: api-reference/crm/universal/user-defined-object-types/crm-type-update.md) and no REST method sets
 * role permissions, so the app cannot close it; a new closed one replaces it and the old one is named
 * for the administrator (`openJournalLeft`).
 */
function planJournal(state: InstalledState): { writes: InstallWrite[], entityTypeId: number, openJournalLeft: number | null } {
  const named = state.journalTypeId === null ? undefined : state.crmTypes.find(type => type.entityTypeId === state.journalTypeId)
  if (named && !named.openPermissions)
    return { writes: [], entityTypeId: named.entityTypeId, openJournalLeft: null }
  const ours = state.crmTypes.filter(type => type.title === JOURNAL_TYPE_TITLE)
  const adopted = ours.find(type => !type.openPermissions)
  const openJournalLeft = named?.entityTypeId ?? ours.find(type => type.openPermissions)?.entityTypeId ?? null
  if (adopted)
    return { writes: [], entityTypeId: adopted.entityTypeId, openJournalLeft: named ? openJournalLeft : null }
  const highest = Math.max(FIRST_TYPE_ID - 2, ...state.crmTypes.map(type => type.entityTypeId))
  const entityTypeId = highest + (highest % 2 === 0 ? 2 : 1)
  return { writes: [{ kind: 'createJournalType', entityTypeId }], entityTypeId, openJournalLeft }
}

function planPlacements(state: InstalledState, handlerUrl: string): InstallWrite[] {
  const writes: InstallWrite[] = []
  for (const wanted of APP_PLACEMENTS) {
    const bound = state.placements.filter(entry => entry.placement === wanted.placement)
    const right = bound.some(entry => entry.handler === handlerUrl && entry.title === wanted.title.ru && entry.titleEn === wanted.title.en)
    // A binding to another URL (the app moved) or with an outdated or Russian-only title is removed, then bound afresh.
    for (const entry of bound) {
      if (!(right && entry.handler === handlerUrl))
        writes.push({ kind: 'unbindPlacement', placement: entry.placement, handler: entry.handler })
    }
    if (!right)
      writes.push({ kind: 'bindPlacement', placement: wanted.placement, handler: handlerUrl, title: wanted.title })
  }
  return writes
}

function planTriggers(state: InstalledState, language: Language): InstallWrite[] {
  // trigger.add with an existing CODE renames it, so one add repairs both "missing" and "renamed".
  return APP_TRIGGERS
    .filter(wanted => !state.triggers.some(entry => entry.code === wanted.code && entry.name === wanted.name[language]))
    .map(wanted => ({ kind: 'addTrigger', code: wanted.code, name: wanted.name[language] }))
}

/**
 * Compares what the portal has with what the app needs and lists only the missing or wrong
 * pieces: re-running install on a correct portal plans nothing. `handlerUrl` is the app's own
 * URL; trigger names are in the portal's `language`. Settings are written when none are stored or
 * they are older than `currentSettingsVersion` (migrated then), name another journal or no document template
 * while the portal has one (it is stored then); newer ones are left alone.
 * The journal's smart process is created when missing (`planJournal`).
 */
export function planInstall(state: InstalledState, handlerUrl: string, language: Language, currentSettingsVersion: number): InstallPlan {
  const journal = planJournal(state)
  const documentTemplate = (state.settingsTemplateId ?? null) === null ? state.invoiceTemplate ?? null : null
  const settingsOutdated = state.settingsVersion === null || state.settingsVersion < currentSettingsVersion || journal.entityTypeId !== state.journalTypeId || documentTemplate !== null
  return {
    placements: planPlacements(state, handlerUrl),
    triggers: planTriggers(state, language),
    journal: journal.writes,
    settings: settingsOutdated ? [{ kind: 'saveSettings' }] : [],
    journalTypeId: journal.entityTypeId,
    openJournalLeft: journal.openJournalLeft,
    documentTemplate,
  }
}
