/**
 * `npm start`: the demo. Starts the portal emulator with demo data and the app's Vite dev server,
 * then prints the address of the Bitrix24-like portal with the app in its placements.
 * Options: --port <emulator port, default 8080> --app-port <default 5173> --data <demo|empty|large:N>
 *          --limits <cloud|enterprise|off> --latency <ms>
 */
import { parseArgs } from 'node:util'
import { createServer } from 'vite'
import { startEmulator } from '../test/emulator/server.ts'
import { createDemoJournal } from '../test/support/demo-journal.ts'

const { values } = parseArgs({
  options: {
    'port': { type: 'string', default: '8080' },
    'app-port': { type: 'string', default: '5173' },
    'data': { type: 'string', default: 'demo' },
    'limits': { type: 'string', default: 'cloud' },
    'latency': { type: 'string', default: '0' },
  },
})

async function main(): Promise<void> {
  const app = await createServer({ server: { port: Number(values['app-port']), strictPort: true, host: '127.0.0.1' } })
  await app.listen()
  const appUrl = `http://127.0.0.1:${values['app-port']}/`
  const emulator = await startEmulator({
    port: Number(values.port),
    data: values.data as 'demo',
    limits: values.limits as 'cloud',
    latencyMs: Number(values.latency),
    https: false,
    appUrl,
  })
  // The demo portal has the app installed: with it, the journal install creates (issue 7).
  if (values.data === 'demo')
    await createDemoJournal(emulator.url, emulator.webhookUrl)
  console.log(`App (Vite dev server): ${appUrl}`)
  console.log(`Portal emulator: ${emulator.url}`)
  console.log(`\nOpen the demo portal: ${emulator.url}/crm/deal/list/`)
  console.log('Open a deal and its «Счета» tab; switch user and language in the top bar. Ctrl+C stops.')

  const stop = async () => {
    await Promise.allSettled([emulator.close(), app.close()])
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
