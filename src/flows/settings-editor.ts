import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { CompanySearchResult } from '../portal/crm/company-search.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { SettingsSnapshot } from '../portal/settings-catalog.ts'
import { saveSettings } from '../portal/app-settings.ts'
import { readCompanyTitles, searchCompanies } from '../portal/crm/company-search.ts'
import { loadSettingsSnapshot } from '../portal/settings-catalog.ts'

/**
 * The settings page's read: the portal's choices (funnels, stages, templates, senders, processes)
 * the admin picks from, in 2 round trips (see `loadSettingsSnapshot`). Throws `PortalError`.
 */
export function readSettingsChoices(portal: PortalClient): Promise<SettingsSnapshot> {
  return loadSettingsSnapshot(portal)
}

/**
 * Writes the whole settings document once (the app option, see `saveSettings`). Validate first:
 * this writes what it is given. Safe to repeat: the same document written twice is the same.
 */
export function writeSettings(portal: PortalClient, settings: InvoiceDeskSettings): Promise<void> {
  return saveSettings(portal, settings)
}

/**
 * The client companies whose title contains `text`, for the reminder overrides' picker: one request, the first 50 by
 * title (see `searchCompanies`). Blank text: no request. Throws `PortalError` (`ACCESS_DENIED` for a user who may not
 * read companies).
 */
export function findCompanies(portal: PortalClient, text: string): Promise<CompanySearchResult> {
  return searchCompanies(portal, text)
}

/**
 * The titles of the companies the stored overrides name, in one round trip whatever their number (see
 * `readCompanyTitles`); an id without a title is a company deleted since or hidden from this user. Throws `PortalError`.
 */
export function readOverrideCompanies(portal: PortalClient, companyIds: readonly number[]): Promise<ReadonlyMap<number, string>> {
  return readCompanyTitles(portal, companyIds)
}
