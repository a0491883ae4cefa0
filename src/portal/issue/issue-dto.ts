import type { ProductRow } from '../../domain/issue/product-row.ts'
import { moneyFromDecimal, moneyToDecimal } from '../../domain/money.ts'

type Id = number | string

/** A `crm.item.productrow.*` row (R: api-reference/crm/universal/product-rows/index.md). */
export interface ProductRowDto {
  id?: Id
  productId?: Id | null
  productName?: string | null
  price?: number | string | null
  quantity?: number | string | null
  discountTypeId?: Id | null
  discountRate?: number | string | null
  discountSum?: number | string | null
  taxRate?: number | string | null
  taxIncluded?: string | null
  measureCode?: Id | null
  sort?: Id | null
}

/** A multifield value (`fm`) of a contact or company: e-mails and phones. */
export interface MultiFieldDto { typeId?: string, valueType?: string, value?: string }

/** `crm.item.get` for a company (4) or contact (3): only what the invoice needs. */
export interface ClientItemDto {
  id: Id
  title?: string | null
  name?: string | null
  lastName?: string | null
  fm?: MultiFieldDto[] | null
  email?: string | null
}

/** `user.get` row. */
export interface UserDto { ID: Id, NAME?: string | null, LAST_NAME?: string | null, EMAIL?: string | null, WORK_PHONE?: string | null }

/** `crm.documentgenerator.document.*` document (R: api-reference/crm/document-generator/index.md). */
export interface DocumentDto {
  id: Id
  templateId?: Id | null
  number?: string | null
  pdfUrl?: string | null
  publicUrl?: string | null
  downloadUrl?: string | null
  /** The PDF for machines: with its token, no portal session needed (R: crm-document-generator-document-get.md). */
  pdfUrlMachine?: string | null
  emailDiskFile?: Id | null
  isTransformationError?: boolean | string | null
  transformationErrorMessage?: string | null
}

/** `crm.activity.list` row. */
export interface ActivityDto { ID: Id, ORIGIN_ID?: string | null, SUBJECT?: string | null }

/** `crm.timeline.logmessage.*` entry. */
export interface LogMessageDto { id: Id, title?: string | null }

export function productRowFromDto(dto: ProductRowDto, currency: string): ProductRow {
  const minor = (value: unknown) => moneyFromDecimal(value as number | string, currency)?.amountMinor ?? 0
  return {
    productId: Number(dto.productId ?? 0),
    name: dto.productName ?? '',
    unitPriceMinor: minor(dto.price ?? 0),
    quantity: Number(dto.quantity ?? 1),
    discountTypeId: Number(dto.discountTypeId ?? 2),
    discountRate: Number(dto.discountRate ?? 0),
    discountSumMinor: minor(dto.discountSum ?? 0),
    taxRate: dto.taxRate === null || dto.taxRate === undefined || dto.taxRate === '' ? null : Number(dto.taxRate),
    taxIncluded: dto.taxIncluded === 'Y',
    measureCode: dto.measureCode === null || dto.measureCode === undefined ? null : Number(dto.measureCode),
    sort: Number(dto.sort ?? 0),
  }
}

/** The row as `crm.item.productrow.set` takes it: decimal prices, `Y`/`N` flags. */
export function productRowToDto(row: ProductRow, currency: string): Record<string, unknown> {
  const decimal = (amountMinor: number) => moneyToDecimal({ amountMinor, currency })
  return {
    ...(row.productId > 0 ? { productId: row.productId } : {}),
    productName: row.name,
    price: decimal(row.unitPriceMinor),
    quantity: row.quantity,
    discountTypeId: row.discountTypeId,
    discountRate: row.discountRate,
    discountSum: decimal(row.discountSumMinor),
    ...(row.taxRate === null ? {} : { taxRate: row.taxRate }),
    taxIncluded: row.taxIncluded ? 'Y' : 'N',
    ...(row.measureCode === null ? {} : { measureCode: row.measureCode }),
    sort: row.sort,
  }
}

/** The first e-mail among a contact's or company's multifields, work address preferred. */
export function emailOf(dto: ClientItemDto | null): string | null {
  if (!dto)
    return null
  const emails = (dto.fm ?? []).filter(field => (field.typeId ?? '').toUpperCase() === 'EMAIL' && field.value)
  const work = emails.find(field => (field.valueType ?? '').toUpperCase() === 'WORK')
  // An empty string means no address, whichever field it came from.
  return (work ?? emails[0])?.value || dto.email || null
}

export function userName(dto: UserDto): string {
  return [dto.NAME, dto.LAST_NAME].filter(Boolean).join(' ') || `#${dto.ID}`
}

export function contactName(dto: ClientItemDto): string {
  return [dto.name, dto.lastName].filter(Boolean).join(' ') || `#${dto.id}`
}
