// The lint rule that keeps DTOs and raw REST commands inside src/portal (eslint.config.js, `portalBoundary`),
// proved by linting probe code as if it lived in src/flows: each probe must fail, the clean sample must pass.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const RULE = 'invoice-desk-portal/boundary'
const eslint = new ESLint()

async function boundaryErrors(code: string, filePath = 'src/flows/__probe__.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.filter(message => message.ruleId === RULE).map(message => message.message)
}

describe('lint: no DTO and no raw REST command above src/portal', () => {
  it.each([
    ['a type import of a portal DTO', 'import type { ReceivableItemDto } from \'../portal/receivables/receivables-dto.ts\'\nexport type Row = ReceivableItemDto\n'],
    ['a value import of a portal DTO module', 'import { INVOICE_SELECT } from \'../portal/crm/crm-dto.ts\'\nexport const select = INVOICE_SELECT\n'],
    ['a re-export of a portal DTO', 'export type { UserDto } from \'../portal/issue/issue-dto.ts\'\n'],
    ['a dynamic import of a portal DTO', 'export const load = () => import(\'../portal/crm/crm-dto.ts\')\n'],
  ])('fails on %s', async (_, code) => {
    expect(await boundaryErrors(code)).toEqual(['Portal DTOs stay in src/portal: take the domain values a portal function returns.'])
  })

  it.each([
    ['crm.item.update', 'export const call = { method: \'crm.item.update\', params: { entityTypeId: 2, id: 1, fields: {} } }\n'],
    ['bizproc.workflow.start', 'export const call = { method: \'bizproc.workflow.start\' }\n'],
    ['tasks.task.add', 'export const calls = { task: { \'method\': \'tasks.task.add\', params: {} } }\n'],
    ['im.notify.system.add', 'export const call = { method: \'im.notify.system.add\' }\n'],
    ['user.get', 'export const call = { method: \'user.get\' }\n'],
    ['app.option.get', 'export const call = { method: \'app.option.get\' }\n'],
    ['event.bind', 'export const call = { method: \'event.bind\' }\n'],
    ['batch', 'export const call = { method: \'batch\' }\n'],
    ['server.time', 'export async function time(portal: { call: (m: string) => Promise<string> }) {\n  return portal.call(\'server.time\')\n}\n'],
  ])('fails on a raw %s command', async (method, code) => {
    expect(await boundaryErrors(code)).toEqual([`Raw REST command "${method}" outside src/portal: call a typed portal function instead.`])
  })

  it('fails in a store and a view\'s script too', async () => {
    const code = 'export const call = { method: \'crm.item.list\' }\n'
    expect(await boundaryErrors(code, 'src/stores/__probe__.ts')).toHaveLength(1)
    expect(await boundaryErrors(`<script setup lang="ts">\nconst call = { method: 'crm.item.list' }\nconsole.warn(call)\n</script>\n`, 'src/views/__probe__/ProbeView.vue')).toHaveLength(1)
  })

  it('passes a flow that takes domain values from portal functions, and lets src/portal build commands', async () => {
    const clean = [
      'import type { PortalClient } from \'../portal/portal-client.ts\'',
      'import { readStoredSettings } from \'../portal/app-settings.ts\'',
      '',
      '/** An HTTP method and a sort order are not REST commands. */',
      'export const request = { method: \'POST\', order: \'crm\' }',
      '',
      'export async function stored(portal: PortalClient): Promise<unknown> {',
      '  return readStoredSettings(portal)',
      '}',
      '',
    ].join('\n')
    expect(await boundaryErrors(clean)).toEqual([])
    const [portal] = await eslint.lintText('export const call = { method: \'crm.item.list\' }\n', { filePath: 'src/portal/__probe__.ts' })
    expect(portal!.messages.filter(message => message.ruleId === RULE)).toEqual([])
  })
})
