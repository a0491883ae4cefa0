// A statement of 100,000 documents (62 MB) on the app page, the page's long tasks watched in the app's
// frame (PerformanceObserver 'longtask', https://w3c.github.io/longtasks/). Decoding, parsing and
// matching on the page's thread made one task of about 25 s (measured on the shared development
// machine); with the Web Worker alone the longest left was 1.2–4.4 s: the parts of 2,000 decoded on the
// page, a deep reactive Set of the selection, a copy of the file's bytes and 100 cards rendered at
// once. Then (parts of 250, a shallow selection, the bytes transferred, cards rendered 10 per task) the
// longest was the file read into an ArrayBuffer on the page (238 ms on an idle machine); now the file goes
// to the worker as a Blob and is read there, and the longest is 100–104 ms on an idle machine (the goal
// 200 ms, `bank-import:100000` in `npm run bench`). Under heavy load (load average 11–33 on the shared
// 2-core machine) the same tasks stretch to 0.8–1.4 s of wall time; the bound below leaves room for that.
import type { Frame } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import type { StatementLine } from '../fixtures/bank/statement-builder.ts'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildStatement1C } from '../fixtures/bank/statement-builder.ts'
import { encodeWindows1251 } from '../fixtures/bank/windows-1251.ts'
import { appFrame, startAppUnderTest } from './support/app-under-test.ts'

const DOCUMENTS = 100_000
/** The goal is 200 ms; this leaves room for a loaded shared machine (see above). */
const LONGEST_TASK_MS = 1_500

/** Installed in every frame before its scripts: the long tasks of that frame's thread, with their start. */
function watchLongTasks(): void {
  const tasks: Array<{ start: number, duration: number }> = []
  ;(window as unknown as { longTasks: typeof tasks }).longTasks = tasks
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        tasks.push({ start: entry.startTime, duration: entry.duration })
    }).observe({ type: 'longtask', buffered: true })
  }
  catch {
    // No Long Tasks API: the test then has nothing to read and fails on the missing list.
  }
}

describe('bank statement import of 100,000 documents (Chromium, demo portal)', () => {
  let t: AppUnderTest
  let path: string

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    const inns = (t.emulator.state.requisites ?? []).filter(r => r.ENTITY_TYPE_ID === '4').map(r => String(r.RQ_INN))
    const numbers = t.emulator.state.entities[31].items.map(item => String(item.accountNumber))
    const today = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10)
    const lines: StatementLine[] = Array.from({ length: DOCUMENTS }, (_, i) => ({
      number: String(10_000 + i), date: today, amountMinor: 100_000 + (i % 500) * 100, payerInn: i % 7 === 6 ? '7799999990' : inns[i % inns.length]!,
      payerName: 'ООО «Плательщик»', purpose: i % 3 === 0 ? `Оплата по счету № ${numbers[i % numbers.length]}` : `Оплата по договору ${i}`,
    }))
    path = join(tmpdir(), `invoice-desk-statement-${DOCUMENTS}.txt`)
    writeFileSync(path, encodeWindows1251(buildStatement1C(lines)))
  }, 120_000)
  afterAll(async () => t?.close())

  it('decodes, parses and matches off the main thread: no task in the app\'s frame runs that work, progress shown, the review appears', async () => {
    const page = await t.browser.newPage({ viewport: { width: 1280, height: 1200 } })
    await page.addInitScript(watchLongTasks)
    await page.goto(new URL('/marketplace/app/?user=1&lang=ru', t.emulatorUrl).toString())
    const frame = appFrame(page)
    await frame.locator('[data-testid="app-page-tabs"]').waitFor({ timeout: 60_000 })
    await frame.getByRole('tab', { name: 'Выписка' }).click()
    await frame.locator('[data-testid="bank-file-input"]').waitFor({ state: 'attached', timeout: 30_000 })
    const app: Frame = (await (await page.waitForSelector('[data-testid="app-frame"]')).contentFrame())!
    const from = await app.evaluate(() => performance.now())

    await frame.locator('[data-testid="bank-file-input"]').setInputFiles(path)
    await frame.locator('[data-testid="bank-progress"]').waitFor({ timeout: 30_000 })
    await frame.locator('[data-testid="bank-summary"]').waitFor({ timeout: 300_000 })
    expect(await frame.locator('[data-testid="bank-match"]').count()).toBeGreaterThan(0)

    const tasks = await app.evaluate(start => (window as unknown as { longTasks: Array<{ start: number, duration: number }> }).longTasks.filter(task => task.start >= start), from)
    const longest = Math.max(0, ...tasks.map(task => task.duration))
    console.log(`bank-import:${DOCUMENTS} in Chromium: ${tasks.length} long tasks on the page's thread, the longest ${Math.round(longest)} ms`, JSON.stringify(tasks.map(task => [Math.round(task.start - from), Math.round(task.duration)])))
    expect(longest).toBeLessThanOrEqual(LONGEST_TASK_MS)
    await page.close()
  }, 600_000)
})
