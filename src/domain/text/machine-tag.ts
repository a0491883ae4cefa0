/**
 * The machine-readable part of a timeline entry, kept out of people's sight.
 *
 * A log entry (`crm.timeline.logmessage.add`) has only `title`, `text` and `iconCode`, and all three
 * are shown in the card (R: `api-reference/crm/timeline/logmessage/crm-timeline-logmessage-add.md`);
 * extra content blocks cannot be attached to log entries (R: `api-reference/crm/timeline/layout-blocks/index.md`)
 * and app storage refuses the runner's webhook. So the app's record rides in the text itself, as
 * invisible characters after the sentence: a WORD JOINER (U+2060) opens it, then each UTF-8 byte of
 * `#invoice-desk {json}` is two variation selectors (U+FE00 + high nibble, U+FE00 + low nibble).
 * Both are "default ignorable" code points: browsers draw nothing for them, and they are in the
 * Basic Multilingual Plane (three bytes in UTF-8), so a database column without 4-byte UTF-8 keeps them.
 *
 * Entries written before carry the record as a visible last line `#invoice-desk {json}`; readers
 * accept both, so the history written so far is still recognised.
 */
export const MACHINE_TAG = '#invoice-desk '

const OPEN = '\u2060'
const BASE = 0xFE00
const HIDDEN = /\u2060[\uFE00-\uFE0F]*/g

function hide(line: string): string {
  let out = OPEN
  for (const byte of new TextEncoder().encode(line))
    out += String.fromCharCode(BASE + (byte >> 4), BASE + (byte & 0x0F))
  return out
}

function reveal(text: string): string | null {
  const start = text.lastIndexOf(OPEN)
  if (start < 0)
    return null
  const codes = [...text.slice(start + 1)].map(c => c.charCodeAt(0) - BASE).filter(n => n >= 0 && n < 16)
  if (codes.length === 0 || codes.length % 2 !== 0)
    return null
  const bytes = new Uint8Array(codes.length / 2)
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = (codes[2 * i]! << 4) | codes[2 * i + 1]!
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  }
  catch {
    return null
  }
}

/** The text to write: the sentence people read, then the record (`payload` as JSON) hidden after it. */
export function withMachineTag(sentence: string, payload: unknown): string {
  return `${sentence}${hide(`${MACHINE_TAG}${JSON.stringify(payload)}`)}`
}

/** The text without the hidden record (what a person sees). */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, '')
}

/**
 * The parsed JSON record of a timeline text: the hidden one, else (entries written before) the
 * last visible line starting with `#invoice-desk `. Null when there is none or it is damaged.
 */
export function machineTagOf(text: string): unknown {
  const line = reveal(text) ?? text.split('\n').reverse().find(l => l.startsWith(MACHINE_TAG)) ?? null
  if (!line?.startsWith(MACHINE_TAG))
    return null
  try {
    const raw: unknown = JSON.parse(line.slice(MACHINE_TAG.length))
    return raw !== null && typeof raw === 'object' ? raw : null
  }
  catch {
    return null
  }
}
