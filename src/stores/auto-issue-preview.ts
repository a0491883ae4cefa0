import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { AutoIssueCandidate } from '../flows/auto-issue.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { findAutoIssueCandidates } from '../flows/auto-issue.ts'

/** «Сейчас подходят»: the open deals of the ready stages and their auto-issue decisions, loaded on demand. */
export const useAutoIssuePreviewStore = defineStore('auto-issue-preview', () => {
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle')
  const candidates = shallowRef<readonly AutoIssueCandidate[]>([])
  const error = shallowRef<unknown>(null)

  /** Decides with `settings` as they are in the editor (saved or not), so the admin sees a change's effect before saving. */
  async function load(portal: PortalClient, settings: InvoiceDeskSettings): Promise<void> {
    status.value = 'loading'
    error.value = null
    try {
      candidates.value = await findAutoIssueCandidates(portal, settings)
      status.value = 'ready'
    }
    catch (caught) {
      error.value = caught
      status.value = 'error'
    }
  }

  return { status, candidates, error, load }
})
