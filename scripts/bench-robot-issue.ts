/**
 * Bench `robot-issue`: a deal moved to a stage with the app's robot → the invoice e-mailed, through
 * the whole path: the emulated portal calls the Invoice Desk service's robot handler, the service
 * runs the issue chain with the app's OAuth tokens and answers `bizproc.event.send`. Measures the
 * time from the stage change to the e-mail, and the REST requests the service made.
 */
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, startEmulator, emulatorControl, freePort } from '#emulator'
import type { EmulatorStats } from '#emulator'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { invoiceKey } from '../src/domain/issue/issue-key.ts'
import { createInvoiceDeskService } from '../src/service/invoice-desk-service.ts'
import { ISSUE_ROBOT_CODE } from '../src/service/robot/issue-robot.ts'
import { createServiceLog } from '../src/service/service-log.ts'
import { openSqliteStore } from '../src/service/store/sqlite-store.ts'

/** One row of the bench table. */
export interface RobotBenchResult {
  bench: string
  httpRequests: number
  roundTrips: number
  ms: number
  note?: string
}

/** Runs the bench with `latencyMs` per emulated request and cloud limits. */
export async function benchRobotIssue(latencyMs: number): Promise<RobotBenchResult> {
  const port = await freePort()
  const emulator = await startEmulator({ port: 0, data: 'demo', limits: 'cloud', latencyMs, https: true, pdfDelayMs: 2_000, appServerUrl: `http://127.0.0.1:${port}` })
  const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'invoice-desk-bench-')), 'invoice-desk.sqlite'))
  const ca = readFileSync(emulator.caCertPath!, 'utf8')
  const service = createInvoiceDeskService({
    config: {
      port, publicUrl: `http://127.0.0.1:${port}`, clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET, oauthUrl: emulator.url,
      databaseUrl: null, dataDir: '', poll: 'off', pollIntervalMs: 3_600_000, scheduleTickMs: 3_600_000, distDir: '', caCertificate: ca, locale: 'ru',
    },
    store,
    log: createServiceLog(() => {}),
  })
  try {
    await service.start()
    const control = emulatorControl(emulator.url, ca)
    await control.post('/emulator/app-server/install', { userId: 1 })
    await control.post('/emulator/robots/placed', { categoryId: 0, stageId: 'FINAL_INVOICE', code: ISSUE_ROBOT_CODE })
    const state = emulator.state
    const withMailbox = new Set(state.users.filter(user => user.crmMailbox).map(user => user.id))
    const invoicesOf = (dealId: number) => emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
    const deal = state.entities[2]!.items.find(d => Number(d.categoryId ?? 0) === 0 && d.stageId !== 'FINAL_INVOICE' && Number(d.opportunity) > 0 && invoicesOf(Number(d.id)).length === 0 && withMailbox.has(Number(d.assignedById)) && d.contactId)
    if (!deal)
      throw new Error('no issuable deal in the demo data')
    const dealId = Number(deal.id)
    const emailed = () => {
      const invoice = invoicesOf(dealId)[0]
      return !!invoice && emulator.state.journal.some(entry => entry.kind === 'outbox' && Number((entry.details as { owner?: { id?: number } }).owner?.id) === Number(invoice.id))
    }
    await control.post('/emulator/stats/reset')
    const started = performance.now()
    await control.post(`/emulator/deals/${dealId}/stage`, { userId: 1, stageId: 'FINAL_INVOICE' })
    while (!emailed() && performance.now() - started < 60_000)
      await new Promise(resolve => setTimeout(resolve, 20))
    const ms = performance.now() - started
    await service.queue.idle()
    const stats = await control.get<EmulatorStats>('/emulator/stats')
    const rest = Object.values(stats.restRequests).reduce((sum, n) => sum + n, 0)
    const polls = stats.restRequests['crm.documentgenerator.document.get'] ?? 0
    // The stage move itself is one crm.item.update of the host page; the rest is the service's.
    const moves = stats.restRequests['crm.item.update'] ?? 0
    const calls = await control.get<Array<{ state: string, returnValues: { outcome?: string } | null }>>(`/emulator/robots/calls?dealId=${dealId}`)
    const serviceRequests = rest - polls - Math.min(moves, 1)
    return { bench: 'robot-issue', httpRequests: serviceRequests, roundTrips: serviceRequests, ms: Math.round(ms), note: `stage change → e-mail sent; robot ${calls[0]?.state ?? 'not called'} (${calls[0]?.returnValues?.outcome ?? '?'}); + ${polls} PDF polls (2 s conversion), deal ${dealId}` }
  }
  finally {
    await service.stop()
    await store.close()
    await emulator.close()
  }
}
