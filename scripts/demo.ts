/**
 * `npm start`: the demo. Starts the portal emulator with demo data, the app's Vite dev server and the
 * Invoice Desk service (the app's server: the demo portal installs the app through it, so its robot
 * and deal events are live), then prints the address of the Bitrix24-like portal.
 * Options: --port <emulator port, default 8080> --app-port <default 5173> --service-port <default 8090>
 *          --data <demo|empty|large:N> --limits <cloud|enterprise|off> --latency <ms>
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createServer } from 'vite'
import { createInvoiceDeskService } from '../src/service/invoice-desk-service.ts'
import { ISSUE_ROBOT_CODE } from '../src/service/robot/issue-robot.ts'
import { createServiceLog } from '../src/service/service-log.ts'
import { openSqliteStore } from '../src/service/store/sqlite-store.ts'
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, startEmulator, createDemoJournal } from '#emulator'

const { values } = parseArgs({
  options: {
    'port': { type: 'string', default: '8080' },
    'app-port': { type: 'string', default: '5173' },
    'service-port': { type: 'string', default: '8090' },
    'data': { type: 'string', default: 'demo' },
    'limits': { type: 'string', default: 'cloud' },
    'latency': { type: 'string', default: '0' },
  },
})

async function main(): Promise<void> {
  const app = await createServer({ server: { port: Number(values['app-port']), strictPort: true, host: '127.0.0.1' } })
  await app.listen()
  const appUrl = `http://127.0.0.1:${values['app-port']}/`
  const serviceUrl = `http://127.0.0.1:${values['service-port']}`
  const emulator = await startEmulator({
    appServerUrl: serviceUrl,
    port: Number(values.port),
    data: values.data as 'demo',
    limits: values.limits as 'cloud',
    latencyMs: Number(values.latency),
    https: false,
    appUrl,
  })
  // The demo portal has the app installed: with it, the journal install creates (README «Execution journal»).
  if (values.data === 'demo')
    await createDemoJournal(emulator.url, emulator.webhookUrl)
  const service = await startDemoService(emulator.url, serviceUrl, Number(values['service-port']))
  console.log(`App (Vite dev server): ${appUrl}`)
  console.log(`Invoice Desk service: ${serviceUrl} (robot «Invoice Desk: выставить и отправить счёт» on «Финальный счёт»)`)
  console.log(`Portal emulator: ${emulator.url}`)
  console.log(`\nOpen the demo portal: ${emulator.url}/crm/deal/list/`)
  console.log('Open a deal and its «Счета» tab; switch user and language in the top bar. Ctrl+C stops.')
  console.log('Move a deal to «Финальный счёт»: the robot issues and e-mails its invoice within seconds («Журнал портала»).')

  const stop = async () => {
    await Promise.allSettled([service.stop(), emulator.close(), app.close()])
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/**
 * The service in this process with an embedded store in a temporary folder; the emulated portal
 * installs the app through it (ONAPPINSTALL → robot registered, events bound) and the demo admin's
 * robot is placed on «Финальный счёт».
 */
async function startDemoService(portalUrl: string, serviceUrl: string, port: number) {
  const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'invoice-desk-demo-')), 'invoice-desk.sqlite'))
  const service = createInvoiceDeskService({
    config: {
      port, publicUrl: serviceUrl, clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET, oauthUrl: portalUrl,
      databaseUrl: null, dataDir: '', poll: 'auto', pollIntervalMs: 60_000, scheduleTickMs: 60_000,
      distDir: join(process.cwd(), 'dist'), locale: 'ru',
    },
    store,
    log: createServiceLog(line => process.stdout.write(`[service] ${line}\n`)),
  })
  await service.start()
  const post = (path: string, body: unknown) => fetch(`${portalUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  await post('/emulator/app-server/install', { userId: 1 })
  await post('/emulator/robots/placed', { categoryId: 0, stageId: 'FINAL_INVOICE', code: ISSUE_ROBOT_CODE })
  return {
    stop: async () => {
      await service.stop()
      await store.close()
    },
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
