import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { portalClockOf } from '../../src/domain/portal-clock.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import { readServerTime } from '../../src/portal/server-time.ts'
import { startEmulator } from '../emulator/server.ts'

describe('portal/readServerTime against the emulator, through the SDK', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.engine.faults.clear())

  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })

  it('answers the portal\'s clock, not this machine\'s, in ONE request', async () => {
    // The portal runs five hours ahead of this machine.
    const portalNow = new Date(Date.now() + 5 * 3_600_000)
    emulator.engine.clock.set(portalNow)
    const client = await portal()
    const before = emulator.stats.httpRequests
    const answer = await readServerTime(client)
    expect(answer).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/)
    const clock = portalClockOf(answer)
    expect(clock).not.toBeNull()
    expect(Math.abs(clock!.instantMs - portalNow.getTime())).toBeLessThan(5_000)
    expect(emulator.stats.httpRequests - before).toBe(1)
  })

  it('throws the portal\'s error when server.time fails', async () => {
    // The SDK tries a 503 again: every attempt fails.
    emulator.engine.faults.add({ method: 'server.time', times: 10, kind: 'error', status: 503, code: 'INTERNAL_SERVER_ERROR', description: 'Portal unavailable' })
    const error = await readServerTime(await portal()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PortalError)
    expect((error as PortalError).method).toBe('server.time')
  })
})
