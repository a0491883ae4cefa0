/**
 * `npx tsx scripts/bench/scale-reopen-phases.ts [N]`: where the dashboard re-open's time goes
 * (`receivables-reopen:N` in `npm run bench`), phase by phase: the kept copy's IndexedDB read
 * (fake-indexeddb in Node), the refresh request alone, the merge, the mapping of every row and the figures.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { performance } from 'node:perf_hooks'
import { IDBFactory } from 'fake-indexeddb'
import { indexedDbReceivablesCache } from '../../src/browser/receivables-cache.ts'
import { openReceivables } from '../../src/flows/refresh-receivables.ts'
import { changesSince, mergeChangedRows, sameVisibleSet } from '../../src/domain/receivables/incremental-refresh.ts'
import { periodOf } from '../../src/domain/receivables/period.ts'
import { receivablesReport } from '../../src/domain/receivables/report.ts'
import { indexStages } from '../../src/domain/stage.ts'
import { receivableFromDto, receivableMapper } from '../../src/portal/receivables/receivables-mappers.ts'
import { readRefreshCheck } from '../../src/portal/receivables/refresh-invoices.ts'
import { emulatorControl, meteredWebhook, startEmulator } from '#emulator'

const count = Number(process.argv.find(arg => /^\d+$/.test(arg)) ?? 100_000)
const emulator = await startEmulator({ port: 0, data: `large:${count}`, limits: 'cloud', latencyMs: 100, https: true })
const time = async <T>(label: string, work: () => Promise<T> | T): Promise<T> => {
  const started = performance.now()
  const value = await work()
  console.log(`${label.padEnd(44)} ${(performance.now() - started).toFixed(0).padStart(6)} ms`)
  return value
}
try {
  const ca = readFileSync(emulator.caCertPath!, 'utf8')
  const control = emulatorControl(emulator.url, ca)
  const portal = meteredWebhook(emulator.webhookUrl, ca).portal
  const factory = new IDBFactory()
  const options = () => ({ memberId: 'bench', now: new Date(), fallbackTimeZone: 'Europe/Moscow' })
  const later = async () => {
    const clock = await control.get<{ now: string }>('/emulator/clock')
    await control.post('/emulator/clock', { now: new Date(Date.parse(clock.now) + 600_000).toISOString() })
  }
  await later()
  const first = await time('full read (scan)', () => openReceivables(portal, indexedDbReceivablesCache(factory), options()))
  await time('cache write (after the figures)', () => first.saved)
  await later()
  const cache = indexedDbReceivablesCache(factory)
  const last = (await time('cache.last (opens the database)', () => cache.last('bench')))!
  const kept = (await time('cache.read (IndexedDB get + unpack)', () => cache.read(last.key)))!
  await time('cache.read again (warm connection)', () => cache.read(last.key))
  const fresh = meteredWebhook(emulator.webhookUrl, ca).portal
  const check = await time('refresh request alone (1 HTTP, in-process emulator)', () => readRefreshCheck(fresh, changesSince(last.portalTime)))
  const rows = await time('merge (changed rows by id)', () => mergeChangedRows(kept.rows, check.changed?.rows ?? []))
  await time('sameVisibleSet', () => sameVisibleSet(rows, check.visible))
  const stages = indexStages(kept.stages)
  await time('map every row, one by one (receivableFromDto)', () => rows.map(row => receivableFromDto(row, stages)))
  const map = receivableMapper(stages)
  const invoices = await time('map every row (receivableMapper)', () => rows.map(row => map(row)))
  const asOf = new Date().toISOString().slice(0, 10)
  await time('every figure (receivablesReport)', () => receivablesReport(invoices, { currency: 'RUB', categoryId: null, responsibleId: null }, { asOf, period: periodOf('last12Months', asOf) }))
  const reopened = meteredWebhook(emulator.webhookUrl, ca).portal
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) => new Promise<{ profile?: unknown }>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as { profile?: unknown }))))
  if (process.argv.includes('--profile')) {
    await post('Profiler.enable')
    await post('Profiler.start')
  }
  const opened = await time('openReceivables as the bench (new connection)', () => openReceivables(reopened, indexedDbReceivablesCache(factory), options()))
  console.log(opened.origin)
  if (process.argv.includes('--profile'))
    writeFileSync('/tmp/scale-reopen.cpuprofile', JSON.stringify((await post('Profiler.stop')).profile))
}
finally {
  await emulator.close()
}
