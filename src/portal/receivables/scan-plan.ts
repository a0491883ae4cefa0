/**
 * Planning a parallel keyset scan of a list method (pure, no I/O).
 *
 * Bitrix24 pages lists by 50. The fast way through a big table is keyset paging (R: settings/performance/huge-data.md):
 * `order: { id: 'ASC' }, filter: { '>=id': bound }, start: -1` — no COUNT, an index seek. The SDK's
 * `callList`/`fetchList` do exactly that, but one page after another: each page's bound is the
 * previous page's last id, so N invoices cost ⌈N/50⌉ HTTP requests. Here the bounds are planned up
 * front from the id range, so 50 pages go into one `batch` (one HTTP request, 2,500 rows):
 * a page that starts at `bound` covers every id from `bound` to its last row (all of them when it
 * came back short). With a step of 50 ids between bounds no id can fall between two pages, since 50
 * consecutive ids hold at most 50 rows. When ids are sparse (deleted invoices, a manager who sees
 * only own invoices) the step widens to the expected 45 rows; the rare stretch denser than expected
 * leaves a hole, which the next round fills.
 */

/** Rows per list page in Bitrix24 REST. */
export const PAGE_SIZE = 50

/** Ids `from`..`to`, both included; `to` may be Infinity. */
export interface IdRange {
  readonly from: number
  readonly to: number
}

/**
 * The distance between two page bounds: 50 while at least 70 % of the ids in the range exist
 * (no holes possible, at most 1.43× the minimum pages); wider for sparse ids.
 */
export function idsPerPage(total: number, minId: number, maxId: number): number {
  const density = total / Math.max(1, maxId - minId + 1)
  return density >= 0.7 ? PAGE_SIZE : Math.max(PAGE_SIZE, Math.floor((PAGE_SIZE * 0.9) / Math.max(density, 1e-6)))
}

/** Page bounds that start every range and then follow every `step` ids within it. */
export function planBounds(ranges: readonly IdRange[], step: number): number[] {
  const bounds: number[] = []
  for (const range of ranges) {
    for (let bound = range.from; bound <= range.to; bound += step)
      bounds.push(bound)
  }
  return bounds
}

/** What a keyset page starting at `bound` proved: a full page its ids up to its last row, a short page everything after `bound`. */
export function coveredBy(bound: number, ids: readonly number[]): IdRange {
  const last = ids[ids.length - 1]
  return ids.length < PAGE_SIZE || last === undefined ? { from: bound, to: Infinity } : { from: bound, to: last }
}

/** The parts of `ranges` no covered range reaches. */
export function subtractCovered(ranges: readonly IdRange[], covered: readonly IdRange[]): IdRange[] {
  const sorted = [...covered].sort((a, b) => a.from - b.from)
  const left: IdRange[] = []
  for (const range of ranges) {
    let from = range.from
    for (const cover of sorted) {
      if (cover.to < from || cover.from > range.to)
        continue
      if (cover.from > from)
        left.push({ from, to: cover.from - 1 })
      from = Math.max(from, cover.to + 1)
      if (from > range.to)
        break
    }
    if (from <= range.to)
      left.push({ from, to: range.to })
  }
  return left
}
