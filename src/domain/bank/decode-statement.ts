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
