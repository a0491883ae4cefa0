import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/**
 * Each layer rule of eslint.config.js is proved by a probe that must fail: the probe's source is
 * linted as if it sat in the layer (README, code map: view → composable or store → flow → portal).
 */
const eslint = new ESLint()

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? [])
    .filter(message => message.ruleId === '@typescript-eslint/no-restricted-imports' || message.ruleId === 'no-restricted-imports')
    .map(message => message.message)
}

function vue(script: string): string {
  return `<script setup lang="ts">\n${script}</script>\n\n<template>\n  <div />\n</template>\n`
}

describe('lint/layer rules', () => {
  it.each([
    ['vue', `import { ref } from 'vue'\n\nexport const probe = ref(0)\n`],
    ['pinia', `import { defineStore } from 'pinia'\n\nexport const probe = defineStore('probe', () => ({}))\n`],
    ['the UI kit', `import { useToast } from '@bitrix24/b24ui-nuxt'\n\nexport const probe = useToast\n`],
  ])('refuses %s in a flow', async (_name, code) => {
    const messages = await restrictedImports(code, 'src/flows/__probe__.ts')
    expect(messages).toEqual([expect.stringContaining('src/flows are plain async functions')])
  })

  it('refuses a portal value in a component', async () => {
    const messages = await restrictedImports(vue(`import { saveSettings } from '../../portal/app-settings.ts'\n\nvoid saveSettings\n`), 'src/components/settings/__probe__.vue')
    expect(messages).toEqual([expect.stringContaining('a store or a composable calls the portal')])
  })

  it('refuses a flow value in a component', async () => {
    const messages = await restrictedImports(vue(`import { loadDealProcesses } from '../../flows/business-process.ts'\n\nvoid loadDealProcesses\n`), 'src/components/bizproc/__probe__.vue')
    expect(messages).toEqual([expect.stringContaining('a store or a composable runs the flow')])
  })

  it('refuses a portal value in a store', async () => {
    const messages = await restrictedImports(`import { saveSettings } from '../portal/app-settings.ts'\n\nexport const probe = saveSettings\n`, 'src/stores/__probe__.ts')
    expect(messages).toEqual([expect.stringContaining('Stores and views reach the portal through src/flows')])
  })

  it('refuses a portal value in a view', async () => {
    const messages = await restrictedImports(vue(`import { PortalError } from '../../portal/portal-error.ts'\n\nvoid PortalError\n`), 'src/views/journal/__probe__.vue')
    expect(messages).toEqual([expect.stringContaining('Stores and views reach the portal through src/flows')])
  })

  it('refuses a portal value in a view\'s helper module', async () => {
    const messages = await restrictedImports(`import { isLimitRefusal } from '../../portal/limit-wait.ts'\n\nexport const probe = isLimitRefusal\n`, 'src/views/deal-tab/__probe__.ts')
    expect(messages).toEqual([expect.stringContaining('Stores and views reach the portal through src/flows')])
  })

  it('refuses anything of the portal in the domain, types too', async () => {
    const messages = await restrictedImports(`import type { PortalClient } from '../portal/portal-client.ts'\n\nexport type Probe = PortalClient\n`, 'src/domain/__probe__.ts')
    expect(messages).toEqual([expect.stringContaining('src/domain depends on nothing but itself')])
  })

  it('lets each layer import what it may: types from below, values one layer down', async () => {
    const samples: Array<[string, string]> = [
      [`import type { PortalClient } from '../portal/portal-client.ts'\nimport { describeError } from '../i18n/describe-error.ts'\n\nexport type Probe = PortalClient\nexport const probe = describeError\n`, 'src/flows/__probe__.ts'],
      [vue(`import type { IssueResult } from '../../flows/issue-and-send.ts'\nimport type { PortalClient } from '../../portal/portal-client.ts'\nimport { computed } from 'vue'\n\nconst props = defineProps<{ result: IssueResult, client: PortalClient }>()\nconst status = computed(() => props.result.status)\nvoid status.value\n`), 'src/components/issue/__probe__.vue'],
      [`import type { PortalClient } from '../portal/portal-client.ts'\nimport { defineStore } from 'pinia'\nimport { runIssue } from '../flows/issue-and-send.ts'\n\nexport const useProbe = defineStore('probe', () => ({ run: (portal: PortalClient) => runIssue.length + (portal ? 1 : 0) }))\n`, 'src/stores/__probe__.ts'],
      [vue(`import type { JournalFilter } from '../../portal/journal/journal-store.ts'\nimport { useJournalStore } from '../../stores/journal.ts'\n\nconst filter: JournalFilter | null = null\nvoid useJournalStore\nvoid filter\n`), 'src/views/journal/__probe__.vue'],
    ]
    for (const [code, filePath] of samples) {
      const [result] = await eslint.lintText(code, { filePath })
      expect({ filePath, messages: result?.messages.map(message => `${message.ruleId}: ${message.message}`) }).toEqual({ filePath, messages: [] })
    }
  })
})
