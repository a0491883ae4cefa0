// The emulator over https for one `describe`, reached through the real SDK's webhook client: the
// setup the portal and flow tests share (start once, clear the faults before each case, a fresh
// connection on demand).
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { EmulatorOptions, RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

export interface HookEmulator {
  /** The running emulator (set before the first case). */
  readonly emulator: RunningEmulator
  /** A new webhook connection (its own rate limiter and round-trip count). */
  portal: () => PortalClient
}

/** Starts the emulator (demo data, no limits unless `options` say otherwise) for the enclosing `describe`. */
export function useHookEmulator(options: EmulatorOptions = {}): HookEmulator {
  let emulator: RunningEmulator | undefined
  let caCertificate = ''
  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', ...options })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator?.close())
  beforeEach(() => emulator!.engine.faults.clear())
  return {
    get emulator() {
      return emulator!
    },
    portal: () => connectWithWebhook(emulator!.webhookUrl, { caCertificate }),
  }
}
