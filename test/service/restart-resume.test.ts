import type { ChildProcess } from 'node:child_process'
import type { RunningEmulator } from '../emulator/server.ts'
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { ISSUE_ROBOT_CODE } from '../../src/service/robot/issue-robot.ts'
import { openPostgresStore } from '../../src/service/store/postgres-store.ts'
import { MEMBER_ID } from '../emulator/control/control-api.ts'
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../emulator/control/oauth-token.ts'
import { startEmulator } from '../emulator/server.ts'
import { emulatorControl, freePort } from './support/emulator-control.ts'
import { storeKinds } from './support/service-harness.ts'
import { testDatabaseUrl, uniqueSchema } from './support/test-database.ts'

interface RobotCallView { state: string, returnValues: Record<string, unknown> | null }

/** The service as `npm run service` runs it: a child process, killable with SIGKILL. */
function startChild(env: Record<string, string>, output: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/service/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')))
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')))
  return child
}

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value)
      return value
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

describe.each(storeKinds())('a service killed mid-chain (%s store)', (kind) => {
  let emulator: RunningEmulator | null = null
  let child: ChildProcess | null = null
  afterEach(async () => {
    child?.kill('SIGKILL')
    await emulator?.close()
  })

  it('resumes the accepted robot call after a restart: one invoice, one e-mail, one bizproc.event.send', async () => {
    const port = await freePort()
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 4000, appServerUrl: `http://127.0.0.1:${port}` })
    const control = emulatorControl(emulator.origin, await readFile(emulator.caCertPath!, 'utf8'))
    let storeEnv: Record<string, string> = { INVOICE_DESK_DATA_DIR: mkdtempSync(join(tmpdir(), 'invoice-desk-kill-')) }
    if (kind === 'postgresql') {
      const schema = uniqueSchema()
      await (await openPostgresStore(testDatabaseUrl()!, { schema })).close()
      storeEnv = { DATABASE_URL: `${testDatabaseUrl()!}?options=${encodeURIComponent(`-c search_path=${schema}`)}` }
    }
    const env = {
      ...storeEnv,
      PORT: String(port),
      INVOICE_DESK_PUBLIC_URL: `http://127.0.0.1:${port}`,
      INVOICE_DESK_CLIENT_ID: OAUTH_CLIENT_ID,
      INVOICE_DESK_CLIENT_SECRET: OAUTH_CLIENT_SECRET,
      INVOICE_DESK_OAUTH_URL: emulator.origin,
      INVOICE_DESK_CA_FILE: emulator.caCertPath!,
    }
    const output: string[] = []
    child = startChild(env, output)
    await until('the service to listen', () => output.join('').includes('service.started'))
    expect(await control('POST', '/emulator/app-server/install', { userId: 1 })).toMatchObject({ delivered: true, status: 200 })
    await control('POST', '/emulator/robots/placed', { categoryId: 0, stageId: 'FINAL_INVOICE', code: ISSUE_ROBOT_CODE })

    const state = emulator.state
    const withMailbox = new Set(state.users.filter(user => user.crmMailbox).map(user => user.id))
    const invoicesOf = (dealId: number) => emulator!.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
    const deal = state.entities[2]!.items.find(d => Number(d.categoryId ?? 0) === 0 && d.stageId !== 'FINAL_INVOICE' && Number(d.opportunity) > 0 && invoicesOf(Number(d.id)).length === 0 && withMailbox.has(Number(d.assignedById)) && d.contactId)!
    const dealId = Number(deal.id)
    emulator.engine.resetStats()
    await control('POST', `/emulator/deals/${dealId}/stage`, { userId: 1, stageId: 'FINAL_INVOICE' })

    // Mid-chain: the invoice exists, its PDF is still being made (4 s): kill the service without warning.
    await until('the invoice to be created', () => invoicesOf(dealId).length === 1)
    child.kill('SIGKILL')
    await new Promise(resolve => child!.once('exit', resolve))
    const emails = () => emulator!.state.journal.filter(entry => entry.kind === 'outbox' && Number((entry.details as { owner?: { id?: number } }).owner?.id) === Number(invoicesOf(dealId)[0]!.id))
    expect(emails()).toHaveLength(0)

    child = startChild(env, output)
    const calls = await until('the robot to be answered', async () => {
      const list = await control<RobotCallView[]>('GET', `/emulator/robots/calls?dealId=${dealId}`)
      return list[0]?.state === 'answered' ? list : null
    }, 60_000)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.returnValues).toMatchObject({ invoiceId: Number(invoicesOf(dealId)[0]!.id), outcome: 'issued' })
    expect(invoicesOf(dealId)).toHaveLength(1)
    expect(emails()).toHaveLength(1)
    expect(emulator.engine.stats.restRequests['bizproc.event.send']).toBe(1)
    // Nothing the service printed carries a token or the client secret.
    const printed = output.join('')
    expect(printed).not.toContain(OAUTH_CLIENT_SECRET)
    const { applicationToken } = await control<{ applicationToken: string }>('GET', '/emulator/app-server')
    expect(printed).not.toContain(applicationToken)
    // The emulator's tokens are 32 hex digits, like the member id (which may be printed).
    expect(printed.replaceAll(MEMBER_ID, '')).not.toMatch(/[0-9a-f]{32}/)
  }, 120_000)
})
