import process from 'node:process'
import { readServiceConfig } from './config.ts'
import { createInvoiceDeskService } from './invoice-desk-service.ts'
import { createServiceLog } from './service-log.ts'
import { openStore } from './store/open-store.ts'

/** `npm run service`: the Invoice Desk service, configured by the environment (README «The Invoice Desk service»). */
async function main(): Promise<void> {
  const config = readServiceConfig(process.env)
  if (typeof config === 'string') {
    console.error(config)
    process.exitCode = 2
    return
  }
  const log = createServiceLog()
  const store = await openStore(process.env)
  const service = createInvoiceDeskService({ config, store, log })
  await service.start()
  const stop = () => {
    void service.stop().then(() => store.close()).then(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

void main()
