import type { DealInvoices } from '../flows/load-deal-invoices.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { loadDealInvoices, loadInvoiceOverview } from '../flows/load-deal-invoices.ts'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

/** The deal tab's data: one deal's invoices with their states, and the load's progress. */
export const useDealInvoicesStore = defineStore('deal-invoices', () => {
  const status = ref<LoadStatus>('idle')
  const overview = shallowRef<DealInvoices | null>(null)
  const error = shallowRef<unknown>(null)
  let latestRequest = 0

  const rows = computed(() => overview.value?.rows ?? [])

  /** What the tab lists: a deal's invoices (deal card) or one invoice (invoice card). */
  async function run(fetch: (browserZone: string) => Promise<DealInvoices>): Promise<void> {
    const request = ++latestRequest
    status.value = 'loading'
    error.value = null
    try {
      const result = await fetch(Intl.DateTimeFormat().resolvedOptions().timeZone)
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

  /** Loads (or reloads) the deal's invoices; a newer call wins over a slower older one. */
  function load(portal: PortalClient, dealId: number, now = new Date()): Promise<void> {
    return run(zone => loadDealInvoices(portal, dealId, now, zone))
  }

  /** Loads (or reloads) one invoice for the invoice card's tab. */
  function loadInvoice(portal: PortalClient, invoiceId: number, now = new Date()): Promise<void> {
    return run(zone => loadInvoiceOverview(portal, invoiceId, now, zone))
  }

  return { status, overview, error, rows, load, loadInvoice }
})
