import type { InvoiceDeskSettings } from '../../../src/domain/settings/settings.ts'
import type { PortalClient } from '../../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../../emulator/server.ts'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SETTINGS_OPTION } from '../../../src/domain/settings/read-settings.ts'
import { connectWithWebhook } from '../../../src/portal/node/hook-session.ts'
import { startEmulator } from '../../emulator/server.ts'

/** What the scheduled runner's tests run against: an empty portal over https, and the runner's environment. */
export interface RunnerPortal {
  readonly emulator: RunningEmulator
  /** The same webhook the runner uses, for setting up data. */
  readonly portal: PortalClient
  /** `INVOICE_DESK_WEBHOOK_URL`, `INVOICE_DESK_SETTINGS_FILE` (holding `settings`) and `INVOICE_DESK_CA_FILE`. */
  readonly env: NodeJS.ProcessEnv
}

/** Starts the emulator (`empty` data, https, no limits) at `now` and writes the runner's settings and CA files. */
export async function startRunnerPortal(settings: InvoiceDeskSettings, now: Date, options: { pdfDelayMs?: number, webhookScopes?: readonly string[] } = {}): Promise<RunnerPortal> {
  const emulator = await startEmulator({ https: true, data: 'empty', limits: 'off', now, ...options })
  const dir = await mkdtemp(join(tmpdir(), 'runner-'))
  const file = join(dir, 'settings.json')
  await writeFile(file, JSON.stringify({ [SETTINGS_OPTION]: settings }))
  const caPem = await readFile(emulator.caCertPath!, 'utf8')
  const ca = join(dir, 'ca.pem')
  await writeFile(ca, caPem)
  return {
    emulator,
    portal: connectWithWebhook(emulator.webhookUrl, { caCertificate: caPem }),
    env: { INVOICE_DESK_WEBHOOK_URL: emulator.webhookUrl, INVOICE_DESK_SETTINGS_FILE: file, INVOICE_DESK_CA_FILE: ca },
  }
}
