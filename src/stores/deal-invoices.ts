import type { DealInvoices } from '../flows/load-deal-invoices.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { loadDealInvoices } from '../flows/load-deal-invoices.ts'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

/** The deal tab's data: one deal's invoices with their states, and the load's progress. */
export const useDealInvoicesStore = defineStore('deal-invoices', () => {
  const status = ref<LoadStatus>('idle')
  const overview = shallowRef<DealInvoices | null>(null)
  const error = shallowRef<unknown>(null)
  let latestRequest = 0

  const rows = computed(() => overview.value?.rows ?? [])

  /** Loads (or reloads) the deal's invoices; a newer call wins over a slower older one. */
  async function load(portal: PortalClient, dealId: number, now = new Date()): Promise<void> {
    const request = ++latestRequest
    status.value = 'loading'
    error.value = null
    try {
      const result = await loadDealInvoices(portal, dealId, now, Intl.DateTimeFormat().resolvedOptions().timeZone)
      if (request !== latestRequest)
        return
      overview.value = result
      status.value = 'ready'
    }
    catch (caught) {
      if (request !== latestRequest)
        return
      error.value = caught
      status.value = 'error'
    }
  }

  return { status, overview, error, rows, load }
})
