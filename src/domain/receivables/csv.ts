/**
 * CSV for Excel as Russian accountants open it: UTF-8 with a byte-order mark (without it Excel
 * reads UTF-8 as Windows-1251 and Cyrillic turns to mojibake), `;` between fields (Russian
 * Excel's list separator, because `,` is its decimal separator — a `,`-separated file opens as one
 * column there), CRLF line ends. No `sep=;` line: with it Excel ignores the BOM. LibreOffice and
 * Google Sheets detect `;` on their own.
 */
export const CSV_SEPARATOR = ';'
const BOM = '\uFEFF'

function field(value: string | number): string {
  const text = String(value)
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The CSV text (BOM included) of a header row and data rows. */
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
