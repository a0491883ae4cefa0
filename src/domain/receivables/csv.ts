/**
 * CSV for Excel as Russian accountants open it: UTF-8 with a byte-order mark (without it Excel
 * reads UTF-8 as Windows-1251 and Cyrillic turns to mojibake), `;` between fields (Russian
 * Excel's list separator, because `,` is its decimal separator — a `,`-separated file opens as one
 * column there), CRLF line ends. No `sep=;` line: with it Excel ignores the BOM. LibreOffice and
 * Google Sheets detect `;` on their own.
 */
export const CSV_SEPARATOR = ';'
const BOM = '\uFEFF'

/** Characters that make Excel, LibreOffice or Sheets read a cell as a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/
/** A number as our formatters write it: sign, digits (grouped by spaces or not), decimal mark. */
const NUMBER_TEXT = /^[-+]?(?:\d+|\d{1,3}(?:[ \u00A0\u202F]\d{3})+)(?:[.,]\d+)?$/

/**
 * A text cell that could start a formula gets a leading `'` and quotes, as OWASP's "CSV Injection"
 * page advises; numbers (a `number`, or a string that is only a number such as `-1 234,50`) stay numbers.
 */
export function neutraliseCsvCell(value: string | number): string {
  const text = String(value)
  if (typeof value === 'number' || NUMBER_TEXT.test(text) || !FORMULA_START.test(text))
    return text
  return `'${text}`
}

function field(value: string | number): string {
  const text = neutraliseCsvCell(value)
  return /^'|[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The CSV text (BOM included) of a header row and data rows; no text cell can start a formula. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return BOM + [header, ...rows].map(row => row.map(field).join(CSV_SEPARATOR)).join('\r\n') + '\r\n'
}

/**
 * A decimal for a spreadsheet cell: no thousands separators, the locale's decimal mark
 * (`1234,50` for Russian Excel, `1234.50` for English).
 */
export function csvDecimal(value: number, digits: number, decimalMark: ',' | '.'): string {
  const text = value.toFixed(digits)
  return decimalMark === ',' ? text.replace('.', ',') : text
}
