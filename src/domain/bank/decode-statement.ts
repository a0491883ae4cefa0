import type { StatementEncoding } from './bank-statement.ts'

/** The text of a statement file and the encoding it was in. */
export interface DecodedStatement {
  readonly text: string
  readonly encoding: StatementEncoding
}

const DOS_HEADER = /^Кодировка=DOS\s*$/m
/** The header lines come first: the encoding's name is looked for in this many bytes only. */
const HEAD_BYTES = 2048

/**
 * Decodes a statement file's bytes. UTF-8 when the bytes are valid UTF-8 (a BOM is dropped);
 * otherwise Windows-1251, the 1C exchange format's default (`Кодировка=Windows`) — Cyrillic in
 * Windows-1251 is practically never valid UTF-8, and the strict decoder stops at the first such
 * byte — or CP866 when the header says `Кодировка=DOS`. One full decode per file.
 */
export function decodeStatement(bytes: Uint8Array): DecodedStatement {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    return { text, encoding: 'utf-8' }
  }
  catch {
    // The header's own word for DOS is only readable in DOS's code page.
    const dos = DOS_HEADER.test(new TextDecoder('ibm866').decode(bytes.subarray(0, HEAD_BYTES)))
    return dos
      ? { text: new TextDecoder('ibm866').decode(bytes), encoding: 'ibm866' }
      : { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' }
  }
}

/** File signatures of what people rename to `.txt`/`.csv` by mistake: ZIP (also XLSX/DOCX), PDF, OLE (XLS/DOC), gzip, RAR, 7z. */
const BINARY_SIGNATURES: readonly (readonly number[])[] = [
  [0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06], [0x25, 0x50, 0x44, 0x46, 0x2D], [0xD0, 0xCF, 0x11, 0xE0], [0x1F, 0x8B], [0x52, 0x61, 0x72, 0x21], [0x37, 0x7A, 0xBC, 0xAF],
]
/** Control bytes no text statement holds (TAB, LF, VT, FF, CR and 0x1A, DOS's end of file, are allowed). */
const isControl = (byte: number) => byte < 0x20 && byte !== 0x09 && byte !== 0x0A && byte !== 0x0B && byte !== 0x0C && byte !== 0x0D && byte !== 0x1A

/**
 * Whether the bytes are no text at all — an archive, a PDF, a spreadsheet in a binary format or
 * random data: a known signature, or a control byte among the first 4 KiB. Such a file is no
 * statement, and decoding it would offer a CSV mapping with garbled column names.
 */
export function isBinaryStatement(bytes: Uint8Array): boolean {
  if (BINARY_SIGNATURES.some(signature => signature.every((byte, i) => bytes[i] === byte)))
    return true
  return bytes.subarray(0, 4096).some(isControl)
}
