/**
 * A minimal, valid one-page PDF 1.4 (Helvetica, WinAnsi) written by hand: catalog, pages, page, font,
 * content stream, info, and a byte-exact xref table. Text is transliterated to ASCII (Cyrillic → Latin).
 */

const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
}
const SYMBOLS: Readonly<Record<string, string>> = { '№': 'No.', '«': '"', '»': '"', '—': '-', '–': '-', '“': '"', '”': '"', '€': 'EUR', '₽': 'RUB', '\u00a0': ' ' }

/** `Счёт №5 «ООО Ромашка»` → `Schet No.5 "OOO Romashka"`. */
export function transliterate(text: string): string {
  let out = ''
  for (const char of text) {
    const lower = char.toLowerCase()
    const latin = CYRILLIC[lower]
    if (latin !== undefined) {
      out += char === lower ? latin : latin.charAt(0).toUpperCase() + latin.slice(1)
      continue
    }
    const symbol = SYMBOLS[char]
    if (symbol !== undefined) out += symbol
    else out += char.charCodeAt(0) < 0x7f ? char : '?'
  }
  return out
}

const escapePdf = (text: string): string => text.replace(/[\r\n\t]/g, ' ').replace(/[\\()]/g, match => `\\${match}`)

const MAX_LINES = 52

/** A PDF whose single page shows the lines (first line larger, as a heading). */
export function buildPdf(title: string, lines: readonly string[]): Buffer {
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES - 1), `... ${lines.length - MAX_LINES + 1} more lines`] : lines
  const body = shown.map((line, index) => `${index === 1 ? '/F1 10 Tf ' : ''}(${escapePdf(transliterate(line))}) Tj T*`).join('\n')
  const content = `BT\n/F1 14 Tf\n14 TL\n50 800 Td\n${body}\nET\n`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
    `<< /Title (${escapePdf(transliterate(title))}) /Producer (Bitrix24 portal emulator) >>`,
  ]
  let pdf = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, index) => {
    offsets.push(pdf.length)
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`
  })
  const xrefAt = pdf.length
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}

/** A 1×1 white PNG: the document preview image. */
export const PREVIEW_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==', 'base64')
