/**
 * CRM requisites (R: api-reference/crm/requisites/universal/index.md#fields): the legal details of
 * companies (ENTITY_TYPE_ID 4) and contacts (3) — INN, KPP, OGRN, names. REST answers every field as
 * a string (the docs' examples: `"ENTITY_TYPE_ID": "4"`). Kept on `state.requisites`; the demo gives
 * most client companies one, with a valid INN derived from the company's id (no PRNG draws, so the
 * rest of the demo is unchanged).
 */
import { formatPortalDateTime } from '../core/portal-time.ts'
import type { PortalState } from './portal-state.ts'

export type Requisite = Record<string, string> & { ID: string, ENTITY_TYPE_ID: string, ENTITY_ID: string, RQ_INN: string }

/** The documented fields, in the docs' order (user fields aside). */
export const REQUISITE_FIELDS = [
  'ID', 'ENTITY_TYPE_ID', 'ENTITY_ID', 'PRESET_ID', 'DATE_CREATE', 'DATE_MODIFY', 'CREATED_BY_ID', 'MODIFY_BY_ID', 'NAME', 'CODE',
  'XML_ID', 'ORIGINATOR_ID', 'ACTIVE', 'ADDRESS_ONLY', 'SORT', 'RQ_NAME', 'RQ_FIRST_NAME', 'RQ_LAST_NAME', 'RQ_SECOND_NAME',
  'RQ_COMPANY_ID', 'RQ_COMPANY_NAME', 'RQ_COMPANY_FULL_NAME', 'RQ_COMPANY_REG_DATE', 'RQ_DIRECTOR', 'RQ_ACCOUNTANT', 'RQ_CEO_NAME',
  'RQ_CEO_WORK_POS', 'RQ_CONTACT', 'RQ_EMAIL', 'RQ_PHONE', 'RQ_FAX', 'RQ_INN', 'RQ_KPP', 'RQ_OGRN', 'RQ_OGRNIP', 'RQ_OKPO', 'RQ_OKVED',
] as const

const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8]
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const check = (digits: string, weights: readonly number[]): string =>
  String((weights.reduce((sum, w, i) => sum + w * Number(digits[i]), 0) % 11) % 10)

/** A valid INN (checksums included): 10 digits for an organisation, 12 for an individual entrepreneur. */
export function innFor(seed: number, individual: boolean): string {
  if (individual) {
    const base = `50${String(10_000_000 + seed * 104_729).slice(-8)}`
    const eleven = base + check(base, W11)
    return eleven + check(eleven, W12)
  }
  const base = `77${String(1_000_000 + seed * 7_919).slice(-7)}`
  return base + check(base, W10)
}

/** A requisite row with every documented field ('' when unset). */
export function requisiteRow(id: number, entityTypeId: 3 | 4, entityId: number, values: Partial<Record<typeof REQUISITE_FIELDS[number], string>>, now: number): Requisite {
  const blank = Object.fromEntries(REQUISITE_FIELDS.map(field => [field, ''])) as Record<string, string>
  const created = formatPortalDateTime(now)
  return {
    ...blank, ID: String(id), ENTITY_TYPE_ID: String(entityTypeId), ENTITY_ID: String(entityId), PRESET_ID: '1', DATE_CREATE: created,
    DATE_MODIFY: created, CREATED_BY_ID: '1', MODIFY_BY_ID: '1', ACTIVE: 'Y', ADDRESS_ONLY: 'N', SORT: '500', RQ_INN: '', ...values,
  } as Requisite
}

export type BankDetail = Record<string, string> & { ID: string, ENTITY_ID: string, RQ_ACC_NUM: string }

/** The documented bank detail fields (R: api-reference/crm/requisites/bank-detail/crm-requisite-bank-detail-list.md#fields). */
export const BANK_DETAIL_FIELDS = [
  'ID', 'ENTITY_ID', 'COUNTRY_ID', 'DATE_CREATE', 'DATE_MODIFY', 'CREATED_BY_ID', 'MODIFY_BY_ID', 'NAME', 'CODE', 'XML_ID', 'ACTIVE', 'SORT',
  'RQ_BANK_NAME', 'RQ_BANK_ADDR', 'RQ_BANK_CODE', 'RQ_BANK_ROUTE_NUM', 'RQ_BIK', 'RQ_CODEB', 'RQ_CODEG', 'RQ_RIB', 'RQ_MFO', 'RQ_ACC_NAME',
  'RQ_ACC_NUM', 'RQ_ACC_TYPE', 'RQ_AGENCY_NAME', 'RQ_IIK', 'RQ_ACC_CURRENCY', 'RQ_COR_ACC_NUM', 'RQ_IBAN', 'RQ_SWIFT', 'RQ_BIC', 'COMMENTS', 'ORIGINATOR_ID',
] as const

/** Our company's account in the demo: the one the test statements (`test/fixtures/bank/statement-builder.ts`) are for. */
export const DEMO_OUR_ACCOUNT = '40702810900000000001'

/** A bank detail row with every documented field ('' when unset). */
export function bankDetailRow(id: number, requisiteId: number, values: Partial<Record<typeof BANK_DETAIL_FIELDS[number], string>>, now: number): BankDetail {
  const blank = Object.fromEntries(BANK_DETAIL_FIELDS.map(field => [field, ''])) as Record<string, string>
  const created = formatPortalDateTime(now)
  return { ...blank, ID: String(id), ENTITY_ID: String(requisiteId), COUNTRY_ID: '1', DATE_CREATE: created, DATE_MODIFY: created, CREATED_BY_ID: '1', MODIFY_BY_ID: '1', ACTIVE: 'Y', SORT: '500', RQ_ACC_NUM: '', ...values } as BankDetail
}

/** The demo's bank details: one account on our company's requisite. */
export function demoBankDetails(state: PortalState, requisites: readonly Requisite[], now: number): BankDetail[] {
  const ours = state.entities[4].items.find(company => company.isMyCompany === 'Y')
  const requisite = requisites.find(row => row.ENTITY_TYPE_ID === '4' && Number(row.ENTITY_ID) === ours?.id)
  return requisite ? [bankDetailRow(1, Number(requisite.ID), { NAME: 'Основной счёт', RQ_BANK_NAME: 'ПАО СБЕРБАНК', RQ_BIK: '044525225', RQ_ACC_NUM: DEMO_OUR_ACCOUNT, RQ_COR_ACC_NUM: '30101810400000000225', RQ_ACC_CURRENCY: 'RUB' }, now)] : []
}

/** Requisites for the demo's companies: ours, and every client company but each fourth (a payer the app cannot place). */
export function demoRequisites(state: PortalState, now: number): Requisite[] {
  const rows: Requisite[] = []
  for (const company of state.entities[4].items) {
    if (company.id % 4 === 0) continue
    const title = String(company.title ?? '')
    const individual = title.startsWith('ИП ')
    const inn = innFor(company.id, individual)
    rows.push(requisiteRow(rows.length + 1, 4, company.id, {
      NAME: individual ? 'ИП' : 'Организация', PRESET_ID: individual ? '2' : '1', RQ_INN: inn, RQ_COMPANY_NAME: individual ? '' : title,
      RQ_NAME: individual ? title.slice(3) : '', RQ_KPP: individual ? '' : `${inn.slice(0, 4)}01001`,
    }, now))
  }
  return rows
}
