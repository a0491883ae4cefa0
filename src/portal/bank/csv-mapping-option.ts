import type { CsvMapping } from '../../domain/bank/parse-csv-statement.ts'
import type { PortalClient } from '../portal-client.ts'
import { CSV_FIELDS } from '../../domain/bank/parse-csv-statement.ts'

/**
 * The user option holding the accountant's CSV column mapping. A user option (`user.option.*`,
 * common/settings/user-option-*.md) rather than an app option: every user may write their own, no
 * admin needed, and each bank's export is usually one person's job. The session's init data has
 * `USER_OPTIONS`, but `PlacementSession` does not expose them, so the mapping is read with one
 * `user.option.get` when a CSV is opened.
 */
export const CSV_MAPPING_OPTION = 'invoiceDeskBankCsv'

function mappingOf(value: unknown): CsvMapping | null {
  if (typeof value !== 'string' || !value)
    return null
  try {
    const raw: unknown = JSON.parse(value)
    if (raw === null || typeof raw !== 'object')
      return null
    const entries = CSV_FIELDS.flatMap(field => (typeof (raw as Record<string, unknown>)[field] === 'string' ? [[field, (raw as Record<string, string>)[field]]] : []))
    return Object.fromEntries(entries) as CsvMapping
  }
  catch {
    return null
  }
}

/** The mapping this user chose before, or null. One round trip; a failed read counts as none (the user picks again). */
export async function readCsvMapping(client: PortalClient): Promise<CsvMapping | null> {
  try {
    return mappingOf(await client.call<unknown>('user.option.get', { option: CSV_MAPPING_OPTION }))
  }
  catch {
    return null
  }
}

/** Remembers the mapping for this user. One round trip; throws `PortalError`. */
export async function saveCsvMapping(client: PortalClient, mapping: CsvMapping): Promise<void> {
  await client.call('user.option.set', { options: { [CSV_MAPPING_OPTION]: JSON.stringify(mapping) } })
}
