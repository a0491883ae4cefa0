import type { RunningEmulator } from '../emulator/server.ts'
import type { ServiceStore } from '../../src/service/store/service-store.ts'
import type { TestService } from './support/service-harness.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { portalClockOf } from '../../src/domain/portal-clock.ts'
import { startEmulator } from '../emulator/server.ts'
import { emulatorControl, freePort } from './support/emulator-control.ts'
import { openTestStore, startTestService, storeKinds, testConfig } from './support/service-harness.ts'

describe.each(storeKinds())('the nightly schedule (%s store)', (kind) => {
  let emulator: RunningEmulator
  let store: ServiceStore
  let reopen: () => Promise<ServiceStore>
  let running: TestService
  let port: number

  beforeAll(async () => {
    port = await freePort()
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 150, appServerUrl: `http://127.0.0.1:${port}` })
    ;({ store, reopen } = await openTestStore(kind))
    running = await startTestService(await testConfig(emulator, { port, publicUrl: `http://127.0.0.1:${port}` }), store)
    await emulatorControl(emulator.origin, await readFile(emulator.caCertPath!, 'utf8'))('POST', '/emulator/app-server/install', { userId: 1 })
  })
  afterAll(async () => {
    await running.stop()
    await store.close()
    await emulator.close()
  })

  const runs = (lines: string[]) => lines.filter(line => line.includes('"nightly.start"')).length
  /** Sets the portal's clock to `hour`:00 of a Monday in the demo portal's offset (Moscow, +03:00). */
  const portalHour = (hour: number) => {
    emulator.engine.clock.set(new Date(`2026-12-07T${String(hour).padStart(2, '0')}:00:00+03:00`))
  }

  it('runs once per portal-day from the send hour in the portal\'s clock, never twice, not even after a restart', async () => {
    const memberId = (await store.listPortals())[0]!.memberId
    const client = (await running.service.sessions.clientFor(memberId))!
    portalHour(6)
    const before = portalClockOf(await client.call<string>('server.time'))!
    expect(before.hour).toBeLessThan(9)
    await running.service.nightly.tick()
    expect(runs(running.lines)).toBe(0)
    expect(await store.lastNightlyDay(memberId)).toBeNull()

    portalHour(10)
    await Promise.all([running.service.nightly.tick(), running.service.nightly.tick()])
    await running.service.nightly.tick()
    expect(runs(running.lines)).toBe(1)
    expect(running.lines.some(line => line.includes('"nightly.done"'))).toBe(true)
    const today = portalClockOf(await client.call<string>('server.time'))!.today
    expect(await store.lastNightlyDay(memberId)).toBe(today)

    // A restarted service (same store) does not run the day again.
    await running.stop()
    store = await reopen()
    running = await startTestService(await testConfig(emulator, { port, publicUrl: `http://127.0.0.1:${port}` }), store)
    await running.service.nightly.tick()
    expect(runs(running.lines)).toBe(0)
  })
})
