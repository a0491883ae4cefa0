import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Comments cite what a reader can open: a README section by its heading, or a `bitrix24/b24restdocs`
 * page path (`R: api-reference/…`). Documents outside the repository — a spec by section number, a
 * style guide, a platform reference, an issue number — are dead ends for a reader of the code.
 */
const UNOPENABLE_CITATION = /STYLE\.md|\bSPEC\b|reference §|§ ?\d|\bissue \d+|docs-audit|bitrix24-platform\.md|\/work\/shared/

const ROOT = join(import.meta.dirname, '..', '..')
const GUARDED = ['src', 'scripts', 'test/emulator', 'eslint.config.js']
const SOURCE = /\.(ts|js|vue|mjs|cjs)$/
const SKIPPED = new Set(['node_modules', 'vendor'])

function filesUnder(path: string): string[] {
  const full = join(ROOT, path)
  if (SOURCE.test(path)) return [full]
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return []
    const child = join(path, entry.name)
    if (entry.isDirectory()) return filesUnder(child)
    return SOURCE.test(entry.name) ? [join(ROOT, child)] : []
  })
}

/** `path:line: text` for every line that cites something a reader cannot open. */
function unopenableCitations(paths: readonly string[]): string[] {
  return paths.flatMap(filesUnder).flatMap(file => readFileSync(file, 'utf8').split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => UNOPENABLE_CITATION.test(line))
    .map(({ line, index }) => `${relative(ROOT, file)}:${index + 1}: ${line.trim()}`))
}

describe('comments cite what a reader can open', () => {
  it.each([
    '// cloud rate limit (SPEC §5)',
    '/** The execution journal (issue 7). */',
    '// keyset paging (reference §2.2)',
    '// One config (STYLE.md "Tooling owns style")',
    '// see docs-audit, method by method',
    '// (bitrix24-platform.md §0)',
  ])('the check catches %s', (line) => {
    expect(UNOPENABLE_CITATION.test(line)).toBe(true)
  })

  it.each([
    '// cloud rate limit (README «Numbers»)',
    '// keyset paging (R: settings/performance/huge-data.md)',
    '// issues and e-mails an invoice',
  ])('the check lets %s through', (line) => {
    expect(UNOPENABLE_CITATION.test(line)).toBe(false)
  })

  it('finds none in src/, scripts/, test/emulator/ and the lint config', () => {
    expect(unopenableCitations(GUARDED)).toEqual([])
  })
})
