import type { InvoiceAction } from '../domain/invoice-actions.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { InvoiceActionEnvironment, InvoiceActionInput, InvoiceActionResult, MarkPaidInput } from '../flows/mark-invoice.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { cancelInvoice, markInvoicePaid } from '../flows/mark-invoice.ts'

/** The deal tab's row actions: which invoice is being closed, and how the last action ended. One at a time. */
export const useInvoiceActionsStore = defineStore('invoice-actions', () => {
  const running = ref<{ invoiceId: number, action: InvoiceAction } | null>(null)
  const result = shallowRef<InvoiceActionResult | null>(null)

  const busy = computed(() => running.value !== null)

  async function perform(invoiceId: number, action: InvoiceAction, work: () => Promise<InvoiceActionResult>): Promise<InvoiceActionResult | null> {
    if (running.value)
      return null
    running.value = { invoiceId, action }
    result.value = null
    try {
      result.value = await work()
      return result.value
    }
    finally {
      running.value = null
    }
  }

  /** Marks the invoice paid in full (see `markInvoicePaid`); a click while another action runs does nothing. */
  function markPaid(portal: PortalClient, input: MarkPaidInput, settings: InvoiceDeskSettings, env: InvoiceActionEnvironment): Promise<InvoiceActionResult | null> {
    return perform(input.invoiceId, 'markPaid', () => markInvoicePaid(portal, input, settings, env))
  }

  /** Cancels the invoice (see `cancelInvoice`). */
  function cancel(portal: PortalClient, input: InvoiceActionInput, env: InvoiceActionEnvironment): Promise<InvoiceActionResult | null> {
    return perform(input.invoiceId, 'cancel', () => cancelInvoice(portal, input, env))
  }

  function dismiss(): void {
    result.value = null
  }

  return { running, result, busy, markPaid, cancel, dismiss }
})
