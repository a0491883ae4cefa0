/**
 * `npm run bench [-- --json]`: measures SPEC §5 numbers against the portal emulator with cloud
 * rate limits and 100 ms latency per HTTP request, using the same portal/flow code as the app
 * (through the SDK's webhook client). Prints a table, or one JSON object per line with --json.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'
import { performance } from 'node:perf_hooks'
import { defaultSettings } from '../src/domain/settings/default-settings.ts'
import { prepareIssue, runIssue } from '../src/flows/issue-and-send.ts'
import { loadDealInvoices } from '../src/flows/load-deal-invoices.ts'
import { connectWithWebhook } from '../src/portal/node/hook-session.ts'
import { startEmulator } from '../test/emulator/server.ts'
import { emulatorControl } from '../test/support/emulator-control.ts'
import type { EmulatorStats } from '../test/support/emulator-control.ts'

interface BenchResult {
  bench: string
  httpRequests: number
  roundTrips: number
  ms: number
  note?: string
}

const LATENCY_MS = 100

async function benchDealTabOpen(): Promise<BenchResult> {
  const emulator = await startEmulator({ port: 0, data: 'demo', limits: 'cloud', latencyMs: LATENCY_MS, https: true })
  try {
    const ca = readFileSync(emulator.caCertPath!, 'utf8')
    const control = emulatorControl(emulator.url, ca)
    const deals = await control.get<Array<{ id: number }>>('/emulator/deals?userId=1')
    const withInvoices = await Promise.all(deals.map(d => control.get<{ id: number, invoices: unknown[] }>(`/emulator/deals/${d.id}`)))
    const deal = withInvoices.sort((a, b) => b.invoices.length - a.invoices.length)[0]!
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: ca })
    await control.post('/emulator/stats/reset')
    const started = performance.now()
    const overview = await loadDealInvoices(portal, deal.id, new Date(), 'Europe/Moscow')
    const ms = performance.now() - started
    const stats = await control.get<EmulatorStats>('/emulator/stats')
    return { bench: 'deal-tab-open', httpRequests: stats.httpRequests, roundTrips: portal.roundTrips(), ms: Math.round(ms), note: `deal ${deal.id}, ${overview.rows.length} invoices` }
  }
  finally {
    await emulator.close()
  }
}

/** SPEC §5: at most 4 round trips for the whole chain besides waiting for the PDF. */
async function benchIssueAndSend(): Promise<BenchResult> {
  const emulator = await startEmulator({ port: 0, data: 'demo', limits: 'cloud', latencyMs: LATENCY_MS, https: true, pdfDelayMs: 2_000 })
  try {
    const ca = readFileSync(emulator.caCertPath!, 'utf8')
    const control = emulatorControl(emulator.url, ca)
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: ca })
    const deals = await control.get<Array<{ id: number }>>('/emulator/deals?userId=1')
    const env = { now: new Date(), timeZone: 'Europe/Moscow', locale: 'ru' as const, sleep: (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)), pdfPollMs: 1_000 }
    for (const deal of deals) {
      const preparation = await prepareIssue(portal, deal.id, defaultSettings(), env)
      if (preparation.refusals.length > 0 || preparation.trace.invoiceId !== null)
        continue
      await control.post('/emulator/stats/reset')
      const started = performance.now()
      const again = await prepareIssue(portal, deal.id, defaultSettings(), env)
      const result = await runIssue(portal, again, env)
      const ms = performance.now() - started
      const stats = await control.get<EmulatorStats>('/emulator/stats')
      const polls = stats.restRequests['crm.documentgenerator.document.get'] ?? 0
      return { bench: 'issue-and-send', httpRequests: stats.httpRequests - polls, roundTrips: stats.httpRequests - polls, ms: Math.round(ms), note: `${result.status}; + ${polls} PDF polls (2 s conversion), deal ${deal.id}` }
    }
    throw new Error('no issuable deal in the demo data')
  }
  finally {
    await emulator.close()
  }
}

interface ManifestChunk { file: string, imports?: string[], dynamicImports?: string[], isEntry?: boolean }

/** SPEC §5: the deal tab's initial JS (the entry, the view and everything they import statically), gzipped. */
async function benchDealTabBundle(): Promise<BenchResult> {
  const outDir = await mkdtemp(join(tmpdir(), 'invoice-desk-bundle-'))
  await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } })
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>
  const loaded = new Set<string>()
  const visit = (key: string): void => {
    if (loaded.has(key))
      return
    loaded.add(key)
    manifest[key]?.imports?.forEach(visit)
  }
  visit(Object.keys(manifest).find(key => manifest[key]!.isEntry)!)
  visit('src/views/deal-tab/DealTabView.vue')
  const bytes = [...loaded].reduce((sum, key) => sum + gzipSync(readFileSync(join(outDir, manifest[key]!.file)), { level: 9 }).length, 0)
  const chartJs = Object.values(manifest).some(chunk => loaded.has(chunk.file) && chunk.file.includes('chart'))
  return { bench: 'bundle:deal-tab', httpRequests: 0, roundTrips: 0, ms: 0, note: `${Math.round(bytes / 1024)} kB gzip JS in ${loaded.size} chunks (limit 300)${chartJs ? ', includes chart.js!' : ''}` }
}

function printTable(results: BenchResult[]): void {
  console.log(`SPEC §5 benchmarks (emulator, cloud limits, ${LATENCY_MS} ms latency)\n`)
  console.log(['bench'.padEnd(28), 'http'.padStart(6), 'trips'.padStart(6), 'ms'.padStart(8), '  note'].join(''))
  for (const r of results)
    console.log([r.bench.padEnd(28), String(r.httpRequests).padStart(6), String(r.roundTrips).padStart(6), String(r.ms).padStart(8), `  ${r.note ?? ''}`].join(''))
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json')
  const results = [await benchDealTabOpen(), await benchIssueAndSend(), await benchDealTabBundle()]
  if (json)
    results.forEach(r => console.log(JSON.stringify(r)))
  else
    printTable(results)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
