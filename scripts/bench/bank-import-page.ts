/**
 * `bank-import:N` as a person sees it: Chromium opens the app page on the demo portal (cloud
 * limits, 100 ms latency), the accountant chooses a 1C statement of N documents (62 MB for
 * 100,000) on the «Выписка» tab, and the review appears. The figure is the time from the file's
 * choice to the review, and the longest task on the page's thread meanwhile (Long Tasks API,
 * https://w3c.github.io/longtasks/): decoding, parsing and matching run in a Web Worker
 * (`src/workers/bank-statement-client.ts`), the goal is no page task over 200 ms.
 */
import type { Browser, Frame } from 'playwright-core'
import type { StatementLine } from '#emulator'
import { writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildStatement1C, encodeWindows1251, startEmulator } from '#emulator'

/** One bench line of the bank import in the browser. */
export interface BankImportPageResult {
  bench: string
  httpRequests: number
  roundTrips: number
  ms: number
  limit: string
  note: string
  /** The longest task on the page's thread from the file's choice to the review (ms). */
  longestTaskMs: number
}

/** Installed in every frame before its scripts: that frame's long tasks, with their start. */
function watchLongTasks(): void {
  const tasks: Array<{ start: number, duration: number }> = []
  ;(window as unknown as { longTasks: typeof tasks }).longTasks = tasks
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      tasks.push({ start: entry.startTime, duration: entry.duration })
  }).observe({ type: 'longtask', buffered: true })
}

/** A statement of `count` documents paying the demo portal's invoices by number or by the payer's INN. */
function demoStatement(state: { requisites?: ReadonlyArray<{ ENTITY_TYPE_ID: unknown, RQ_INN: unknown }>, entities: Record<number, { items: ReadonlyArray<{ accountNumber?: unknown }> }> }, count: number): Uint8Array {
  const inns = (state.requisites ?? []).filter(r => String(r.ENTITY_TYPE_ID) === '4').map(r => String(r.RQ_INN))
  const numbers = state.entities[31]!.items.map(item => String(item.accountNumber))
  const today = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10)
  const lines: StatementLine[] = Array.from({ length: count }, (_, i) => ({
    number: String(10_000 + i),
    date: today,
    amountMinor: 100_000 + (i % 500) * 100,
    payerInn: i % 7 === 6 ? '7799999990' : inns[i % inns.length]!,
    payerName: 'ООО «Плательщик»',
    purpose: i % 3 === 0 ? `Оплата по счету № ${numbers[i % numbers.length]}` : `Оплата по договору ${i}`,
  }))
  return encodeWindows1251(buildStatement1C(lines))
}

/** `bank-import:N` in Chromium against the built app at `appUrl` (served by the caller). */
export async function benchBankImportPage(browser: Browser, appUrl: string, count: number, latencyMs: number): Promise<BankImportPageResult> {
  const emulator = await startEmulator({ port: 0, data: 'demo', limits: 'cloud', latencyMs, appUrl })
  const path = join(tmpdir(), `invoice-desk-bench-statement-${count}-${process.pid}.txt`)
  try {
    const bytes = demoStatement(emulator.state as never, count)
    writeFileSync(path, bytes)
    const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } })
    await page.addInitScript(watchLongTasks)
    await page.goto(new URL('/marketplace/app/?user=1&lang=ru', emulator.url).toString())
    const app: Frame = (await (await page.waitForSelector('[data-testid="app-frame"]')).contentFrame())!
    await app.waitForSelector('[data-testid="app-page-tabs"]', { timeout: 60_000 })
    await app.getByRole('tab', { name: 'Выписка' }).click()
    const input = await app.waitForSelector('[data-testid="bank-file-input"]', { state: 'attached', timeout: 30_000 })
    const from = await app.evaluate(() => performance.now())
    await input.setInputFiles(path)
    const done = await app.waitForFunction(() => document.querySelector('[data-testid="bank-summary"]') !== null && performance.now(), undefined, { polling: 'raf', timeout: 600_000 })
    const ms = Number(await done.jsonValue()) - from
    const matched = await app.locator('[data-testid="bank-match"]').count()
    const tasks = await app.evaluate(start => (window as unknown as { longTasks: Array<{ start: number, duration: number }> }).longTasks.filter(task => task.start >= start), from)
    await page.close()
    const longest = Math.round(Math.max(0, ...tasks.map(task => task.duration)))
    return {
      bench: `bank-import:${count}`,
      httpRequests: 0,
      roundTrips: 0,
      ms: Math.round(ms),
      limit: 'no page task over 200 ms',
      longestTaskMs: longest,
      note: `longest page task ${longest} ms (${tasks.length} over 50 ms); file chosen → review shown in Chromium headless, ${Math.round(bytes.length / 1024 / 1024)} MB 1C statement against the demo portal, decode + parse + match in a Web Worker, ${matched} cards rendered first`,
    }
  }
  finally {
    await rm(path, { force: true })
    await emulator.close()
  }
}
