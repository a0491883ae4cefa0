/**
 * Benchmarks at scale (`npm run bench`): the reminder sweep on 10,000 and 100,000 invoices, the
 * subscription scan of 5,000 deals, the bank import of 100,000 documents and the deal tab as a
 * person sees it in Chromium. Each line carries its limit; the emulator runs with cloud limits
 * (2 requests a second after a burst of 50, 480 s of operating time per method and 10 minutes,
 * R: settings/performance/limits.md) and 100 ms latency per HTTP request.
 */
import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { build } from 'vite'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { executeSweep, MAX_SWEEP_MESSAGES, newRunnerId, prepareSweep } from '../../src/flows/run-reminders.ts'
import { saveSubscription } from '../../src/flows/subscriptions.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { scanSubscriptions } from '../../src/portal/subscription/subscription-scan.ts'
import { portalDateOf, startEmulator, launchChromium, serveStatic, emulatorControl, meterOperatingTime, nextMondayTen, reshapeForReminders } from '#emulator'
import { benchBankImportPage } from './bank-import-page.ts'

/** One bench line; `limit` is printed beside the figure it bounds. */
export interface ScaleBenchResult {
  bench: string
  httpRequests: number
  roundTrips: number
  ms: number
  note: string
  limit?: string
  opTimeSeconds?: number
  /** The longest task on the page's thread (ms), where the figure is about the page staying responsive. */
  longestTaskMs?: number
}

const LATENCY_MS = 100

/**
 * `reminder-sweep:N`. 10,000: N open invoices of which 300 have a step due (the rest due later or
 * long ago), on a Monday at 10:00; the plan (what the queue and the runner read) must take at most
 * 40 HTTP requests: 3 + ⌈W/2500⌉ + ⌈C/50⌉ + ⌈M/12⌉ (+1 for supervisors), W invoices in the due
 * window, C with a step due, M messages. 100,000: the generated portal as it is (every recently
 * overdue invoice due at once, as on a first install): the plan must open under the operating-time
 * limit and the runner send its (at most 500) messages.
 */
export async function benchReminderSweepAt(count: number): Promise<ScaleBenchResult> {
  const monday = nextMondayTen()
  const emulator = await startEmulator({ port: 0, data: `large:${count}`, limits: 'cloud', latencyMs: LATENCY_MS, https: true, now: monday })
  try {
    const steady = count <= 10_000
    if (steady)
      reshapeForReminders(emulator.state, portalDateOf(monday), 300)
    const meter = meterOperatingTime(emulator.engine)
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: readFileSync(emulator.caCertPath!, 'utf8') })
    const options = { locale: 'ru' as const, runnerId: newRunnerId() }
    emulator.engine.resetStats()
    const started = performance.now()
    const prep = await prepareSweep(portal, defaultSettings(), options)
    const planMs = performance.now() - started
    const planRequests = emulator.stats.httpRequests
    const planOp = meter.seconds()
    const window = prep.scope.invoices.length
    const due = new Set([...prep.plan.sends.flatMap(send => send.items.map(item => item.invoiceId)), ...prep.plan.skips.map(skip => skip.invoiceId)]).size
    const messages = prep.plan.sends.length
    const formula = 3 + Math.ceil(window / 2500) + Math.ceil(due / 50) + Math.ceil(messages / 12)
    const result = await executeSweep(portal, prep, options)
    const totalMs = performance.now() - started
    const sent = result.outcomes.filter(outcome => outcome.status === 'sent').length
    const busiest = meter.busiest()
    return {
      bench: `reminder-sweep:${count}`,
      httpRequests: planRequests,
      roundTrips: planRequests,
      ms: Math.round(planMs),
      opTimeSeconds: Math.round(planOp * 10) / 10,
      limit: steady ? '40 requests' : `plan under ${480} s operating time per method`,
      note: `plan: ${window} invoices in the due window, ${due} with a step due (history read for these only), ${messages} messages${prep.deferred > 0 ? ` (+${prep.deferred} left for the next sweeps, ${MAX_SWEEP_MESSAGES} a sweep)` : ''}; `
        + `formula 3 + ⌈W/2500⌉ + ⌈C/50⌉ + ⌈M/12⌉ = ${formula} (+1 supervisors, + log pages past 10 entries); plan ${planOp.toFixed(1)} s operating time; `
        + `then the runner: ${sent} sent, ${emulator.stats.httpRequests - planRequests} more requests, ${Math.round(totalMs / 1000)} s in all, busiest method ${busiest?.method} ${busiest?.seconds.toFixed(1)} s of 480`,
    }
  }
  finally {
    await emulator.close()
  }
}

/**
 * `subscription-scan:5000`: the runner's scan of 5,000 deals' timelines for subscriptions (2 of
 * them subscribed): 1 + ⌈(⌈D/50⌉−1)/50⌉ requests for the deals, ⌈D/50⌉ for their timelines' first
 * pages, ⌈S/50⌉ for the subscribed deals' invoices.
 */
export async function benchSubscriptionScanAt(deals: number): Promise<ScaleBenchResult> {
  // `large:N` makes ⌈N/3⌉ deals (at most 5,000).
  const emulator = await startEmulator({ port: 0, data: `large:${deals * 3}`, limits: 'cloud', latencyMs: LATENCY_MS, https: true })
  try {
    const meter = meterOperatingTime(emulator.engine)
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: readFileSync(emulator.caCertPath!, 'utf8') })
    const schedule = { frequency: 'monthly' as const, everyDays: null, startDate: '2026-01-01', end: { kind: 'never' as const }, amount: { kind: 'deal' as const }, renewOnPayment: false }
    for (const dealId of [1, Math.floor(deals / 2)])
      await saveSubscription(portal, dealId, schedule, 1, 'ru')
    // The rate limiter's bucket refills: the scan starts as a nightly run would, not right after the writes.
    await new Promise(resolve => setTimeout(resolve, 5_000))
    emulator.engine.resetStats()
    meter.reset()
    const started = performance.now()
    const found = await scanSubscriptions(portal)
    const ms = performance.now() - started
    const formula = 1 + Math.ceil((Math.ceil(deals / 50) - 1) / 50) + Math.ceil(deals / 50) + Math.ceil(found.length / 50)
    return {
      bench: `subscription-scan:${deals}`,
      httpRequests: emulator.stats.httpRequests,
      roundTrips: emulator.stats.httpRequests,
      ms: Math.round(ms),
      opTimeSeconds: Math.round(meter.seconds() * 10) / 10,
      limit: `${formula} requests + long logs`,
      note: `${deals} deals, ${found.length} subscribed; formula 1 + ⌈(⌈D/50⌉−1)/50⌉ + ⌈D/50⌉ + ⌈S/50⌉ = ${formula} (+ pages of long logs); the cloud's 2 requests a second after a burst of 50 set the time; ${meter.seconds().toFixed(1)} s operating time`,
    }
  }
  finally {
    await emulator.close()
  }
}

/**
 * `deal-tab-paint`: Chromium opens the deal card's tab on the demo portal (cloud limits, 100 ms
 * latency); the figure is the frame's `performance.now()` at the first animation frame with the
 * invoice rows in the page (from the frame's navigation start). Cold: a fresh browser profile;
 * warm: the same profile again (the host lets the browser keep the hashed assets).
 */
async function benchDealTabPaint(browser: Browser, appUrl: string): Promise<ScaleBenchResult[]> {
  const emulator = await startEmulator({ port: 0, data: 'demo', limits: 'cloud', latencyMs: LATENCY_MS, appUrl })
  try {
    const control = emulatorControl(emulator.url)
    const deals = await control.get<Array<{ id: number }>>('/emulator/deals?userId=1')
    const details = await Promise.all(deals.map(d => control.get<{ id: number, invoices: unknown[] }>(`/emulator/deals/${d.id}`)))
    const deal = details.sort((a, b) => b.invoices.length - a.invoices.length)[0]!
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    const paint = async (): Promise<number> => {
      const page = await context.newPage()
      await page.goto(new URL(`/crm/deal/details/${deal.id}/?tab=app&user=1&lang=ru`, emulator.url).toString())
      const element = await page.waitForSelector('[data-testid="app-frame"]')
      const frame = (await element.contentFrame())!
      const handle = await frame.waitForFunction(() => document.querySelector('[data-testid="invoice-table"] tbody tr') !== null && performance.now(), undefined, { polling: 'raf', timeout: 60_000 })
      const at = Number(await handle.jsonValue())
      await page.close()
      return Math.round(at)
    }
    const cold = await paint()
    const warm = Math.min(await paint(), await paint())
    await context.close()
    const note = `deal ${deal.id}, ${deal.invoices.length} invoices; frame navigation start → rows painted (first animation frame with them), Chromium headless, 100 ms REST latency, 1 round trip`
    return [
      { bench: 'deal-tab-paint:cold', httpRequests: 0, roundTrips: 1, ms: cold, limit: 'reported', note: `${note}; a fresh profile` },
      { bench: 'deal-tab-paint:warm', httpRequests: 0, roundTrips: 1, ms: warm, limit: 'reported', note: `${note}; assets kept by the browser, best of 2` },
    ]
  }
  finally {
    await emulator.close()
  }
}

/** The lines measured in Chromium, against one production build of the app served with long-lived assets. */
export async function benchInChromium(): Promise<ScaleBenchResult[]> {
  const outDir = await mkdtemp(join(tmpdir(), 'invoice-desk-paint-'))
  await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } })
  const app = await serveStatic(outDir, { cacheAssets: true })
  const browser = await launchChromium()
  try {
    return [await benchBankImportPage(browser, app.url, 100_000, LATENCY_MS), ...await benchDealTabPaint(browser, app.url)]
  }
  finally {
    await browser.close()
    await app.close()
    await rm(outDir, { recursive: true, force: true })
  }
}

/** Every line of this file, in the order the README lists them; the limit leads the note (the table has no column for it). */
export async function scaleBenchmarks(): Promise<ScaleBenchResult[]> {
  const results = [
    await benchReminderSweepAt(10_000),
    await benchReminderSweepAt(100_000),
    await benchSubscriptionScanAt(5_000),
    ...await benchInChromium(),
  ]
  return results.map(result => ({ ...result, note: `[limit: ${result.limit ?? '—'}${result.opTimeSeconds === undefined ? '' : `; opTimeSeconds ${result.opTimeSeconds}`}] ${result.note}` }))
}
