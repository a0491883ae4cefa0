import type { CalendarDate } from '../calendar-date.ts'
import type { Deal } from '../invoice.ts'
import type { Money } from '../money.ts'
import type { ClientType, InvoiceDeskSettings } from '../settings/settings.ts'
import type { SettingsIssue } from '../settings/validate-settings.ts'
import type { InvoiceClient } from './client.ts'
import type { IssuePurpose } from './issue-key.ts'
import type { ProductRow } from './product-row.ts'
import { addDays } from '../calendar-date.ts'
import { isValidEmail } from './client.ts'
import { DEAL_PURPOSE, invoiceKey } from './issue-key.ts'
import { rowsTotal } from './product-row.ts'

/** Why an invoice cannot be issued; each is shown to the manager as a sentence before anything is written. */
export type IssueRefusal
  = | { readonly code: 'noClient' }
    | { readonly code: 'zeroSum' }
    | { readonly code: 'noEmail', readonly client: string }
    | { readonly code: 'badEmail', readonly email: string }
    | { readonly code: 'noTemplate' }
  /** No template stored in the settings, and the portal refused this user the template list ("modify templates" right). */
    | { readonly code: 'templateNotStored' }
    | { readonly code: 'noSentStage' }
  /** The stored settings are refused (`validateSettingsForIssue`): each field, and an administrator fixes it in Settings. */
    | { readonly code: 'settingsInvalid', readonly issues: readonly SettingsIssue[] }

/** The smart invoice to create, in domain terms; the portal layer maps it to `crm.item.add` fields. */
export interface PlannedInvoice {
  readonly key: string
  readonly title: string
  readonly dealId: number
  readonly categoryId: number | null
  readonly companyId: number | null
  readonly contactIds: readonly number[]
  readonly myCompanyId: number | null
  readonly responsibleId: number | null
  readonly issueDate: CalendarDate
  readonly dueDate: CalendarDate
  readonly amount: Money
}

/** Everything the one click will do, shown to the manager before it runs. */
export interface IssuePlan {
  readonly invoice: PlannedInvoice
  readonly rows: readonly ProductRow[]
  readonly client: InvoiceClient & { readonly email: string }
  readonly termDays: number
  readonly documentTemplateId: number
  readonly sentStageId: string
  readonly dealStageAfterSent: string | null
}

export type IssuePlanResult
  = | { readonly ok: true, readonly plan: IssuePlan }
    | { readonly ok: false, readonly refusals: readonly IssueRefusal[] }

export interface IssueInput {
  readonly deal: Deal
  readonly dealRows: readonly ProductRow[]
  /** The deal's client; null when the deal has neither a company nor a contact. */
  readonly client: InvoiceClient | null
  /** Settings with the portal defaults filled in (`resolveSettings`). */
  readonly settings: InvoiceDeskSettings
  /** The portal's calendar day: the issue date. */
  readonly today: CalendarDate
  readonly purpose?: IssuePurpose
  /** Appended to the deal's title in brackets, e.g. a subscription period `01.03.2026–31.03.2026`. */
  readonly titleSuffix?: string
  /** A fixed sum instead of the deal's (a subscription's own price): one service row of this amount. */
  readonly fixedAmount?: Money | null
  /** False when the portal refused to list document templates to this user. Default true. */
  readonly templatesListed?: boolean
}

/** Payment term in days: the company's own term, else the one for its client type. */
export function paymentTermDays(settings: InvoiceDeskSettings, clientType: ClientType, companyId: number | null): number {
  const own = settings.invoice.companyTerms.find(term => term.companyId === companyId)
  return own?.days ?? settings.invoice.paymentTermDays[clientType]
}

/**
 * A deal without product rows is invoiced as one service row named after the deal, so the
 * invoice's sum always equals the sum of its rows.
 */
function invoiceRows(deal: Deal, rows: readonly ProductRow[], fixed: Money | null, name: string): readonly ProductRow[] {
  if (rows.length > 0 && !fixed)
    return rows
  return [{ productId: 0, name, unitPriceMinor: fixed?.amountMinor ?? deal.amount.amountMinor, quantity: 1, discountTypeId: 2, discountRate: 0, discountSumMinor: 0, taxRate: null, taxIncluded: false, measureCode: null, sort: 10 }]
}

function refusalsOf(input: IssueInput, total: Money): IssueRefusal[] {
  const refusals: IssueRefusal[] = []
  if (!input.client)
    refusals.push({ code: 'noClient' })
  else if (!input.client.email)
    refusals.push({ code: 'noEmail', client: input.client.name })
  else if (!isValidEmail(input.client.email))
    refusals.push({ code: 'badEmail', email: input.client.email })
  if (total.amountMinor <= 0)
    refusals.push({ code: 'zeroSum' })
  if (input.settings.invoice.documentTemplateId === null)
    refusals.push({ code: input.templatesListed === false ? 'templateNotStored' : 'noTemplate' })
  if (input.settings.invoice.sentStageId === null)
    refusals.push({ code: 'noSentStage' })
  return refusals
}

/**
 * Plans issuing an invoice for a deal: refuses up front (no client, no or malformed e-mail, zero
 * sum, no template or "sent" stage) or returns exactly what will be created and sent. Pure: the
 * issue date is `today`, the due date `today + payment term`. A `fixedAmount` replaces the deal's
 * rows with one service row of that sum, named like the invoice.
 */
export function planIssue(input: IssueInput): IssuePlanResult {
  const { deal, settings, today, client } = input
  const fixed = input.fixedAmount ?? null
  const title = input.titleSuffix ? `${deal.title} (${input.titleSuffix})` : deal.title
  const rows = invoiceRows(deal, input.dealRows, fixed, title)
  const total = rowsTotal(rows, fixed?.currency ?? deal.amount.currency)
  const refusals = refusalsOf(input, total)
  if (refusals.length > 0 || !client?.email)
    return { ok: false, refusals }
  const termDays = paymentTermDays(settings, client.type, client.companyId)
  return {
    ok: true,
    plan: {
      invoice: {
        key: invoiceKey(deal.id, input.purpose ?? DEAL_PURPOSE),
        title,
        dealId: deal.id,
        categoryId: settings.invoice.categoryId,
        companyId: client.companyId,
        contactIds: client.contactIds,
        myCompanyId: settings.invoice.myCompanyId,
        responsibleId: deal.responsibleId,
        issueDate: today,
        dueDate: addDays(today, termDays),
        amount: total,
      },
      rows,
      client: { ...client, email: client.email.trim() },
      termDays,
      documentTemplateId: settings.invoice.documentTemplateId!,
      sentStageId: settings.invoice.sentStageId!,
      dealStageAfterSent: settings.deal.stageAfterSent,
    },
  }
}
