/**
 * npm run emulator -- --port <p> --data <demo|empty|large:N> [--limits cloud|enterprise|off] [--latency <ms>]
 *   [--https] [--webhook-secret <s>] [--app-url <url>] [--host <h>] [--pdf-delay <ms>]
 *   [--webhook-scopes crm,im,task,user_basic] [--plan professional|basic] [--app-server <url>]
 * Prints `Portal emulator: <url>`, `Webhook: <url>/rest/1/<secret>/` and with --https `CA certificate: <path>`.
 */
import { parseArgs } from 'node:util'
import { parseDataSetName } from './data/generate.ts'
import { DEFAULT_WEBHOOK_SCOPES, PORTAL_PLANS, type LimitsMode, type PortalPlan } from './engine.ts'
import { startEmulator } from './server.ts'

const { values } = parseArgs({
  options: {
    'port': { type: 'string', default: '8080' },
    'host': { type: 'string', default: '127.0.0.1' },
    'data': { type: 'string', default: 'demo' },
    'limits': { type: 'string', default: 'cloud' },
    'latency': { type: 'string', default: '0' },
    'https': { type: 'boolean', default: false },
    'webhook-secret': { type: 'string', default: 'demo-webhook-secret' },
    'app-url': { type: 'string', default: 'http://127.0.0.1:4173/' },
    'pdf-delay': { type: 'string', default: '3000' },
    'webhook-scopes': { type: 'string', default: DEFAULT_WEBHOOK_SCOPES.join(',') },
    'plan': { type: 'string', default: 'professional' },
    'app-server': { type: 'string' },
  },
  strict: true,
})

const limits = values.limits as LimitsMode
if (!['cloud', 'enterprise', 'off'].includes(limits)) {
  console.error(`--limits must be cloud, enterprise or off (got ${values.limits})`)
  process.exit(2)
}

const pdfDelayMs = Number(values['pdf-delay'])
if (!Number.isFinite(pdfDelayMs) || pdfDelayMs < 0) {
  console.error(`--pdf-delay must be a number of milliseconds (got ${values['pdf-delay']})`)
  process.exit(2)
}

const plan = values.plan as PortalPlan
if (!PORTAL_PLANS.includes(plan)) {
  console.error(`--plan must be ${PORTAL_PLANS.join(' or ')} (got ${values.plan})`)
  process.exit(2)
}
const webhookScopes = values['webhook-scopes'].split(',').map(scope => scope.trim()).filter(Boolean)

const emulator = await startEmulator({
  port: Number(values.port),
  host: values.host,
  data: parseDataSetName(values.data),
  limits,
  latencyMs: Number(values.latency),
  https: values.https,
  webhookSecret: values['webhook-secret'],
  appUrl: values['app-url'],
  pdfDelayMs,
  webhookScopes,
  plan,
  ...(values['app-server'] ? { appServerUrl: values['app-server'] } : {}),
})

process.stdout.write(`Portal emulator: ${emulator.url}\n`)
process.stdout.write(`Webhook: ${emulator.webhookUrl}\n`)
if (emulator.caCertPath) process.stdout.write(`CA certificate: ${emulator.caCertPath}\n`)

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  emulator.close().then(() => process.exit(0), (error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
