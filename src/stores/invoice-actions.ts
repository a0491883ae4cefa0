import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { CollectionActionResult, DisputeInput, PromiseInput } from '../flows/collection-actions.ts'
import type { InvoiceActionEnvironment, InvoiceActionInput, InvoiceActionResult, PaymentResult, RecordPaymentInput } from '../flows/mark-invoice.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'

/** The row actions of the deal tab. */
export type RowAction = 'recordPayment' | 'cancel' | 'promise' | 'dispute'

/** How a row action ended. */
export type RowActionResult = PaymentResult | InvoiceActionResult | CollectionActionResult<'promise'> | CollectionActionResult<'dispute'>

/** The write flows load with the first action, not with the tab: the first paint needs only the list. */
const markFlows = () => import('../flows/mark-invoice.ts')
const collectionFlows = () => import('../flows/collection-actions.ts')
const paymentFlows = () => import('../flows/payment-with-journal.ts')

/** The deal tab's row actions: which invoice is being changed, and how the last action ended. One at a time. */
export const useInvoiceActionsStore = defineStore('invoice-actions', () => {
  const running = ref<{ invoiceId: number, action: RowAction } | null>(null)
  const result = shallowRef<RowActionResult | null>(null)
  /** Loading an action's code failed (the connection dropped after the tab opened); the flows themselves answer failures as results. */
  const error = shallowRef<unknown>(null)

  const busy = computed(() => running.value !== null)

  async function perform<R extends RowActionResult>(invoiceId: number, action: RowAction, work: () => Promise<R>): Promise<R | null> {
    if (running.value)
      return null
    running.value = { invoiceId, action }
    result.value = null
    error.value = null
    try {
      const done = await work()
      result.value = done
      return done
    }
    catch (caught) {
      // Only loading the flow's code can throw here (the flows answer failures as results).
      error.value = caught
      return null
    }
    finally {
      running.value = null
    }
  }

  /** Records a payment (see `recordPayment`): the whole balance closes the invoice. A click while another action runs does nothing. */
  function recordPayment(portal: PortalClient, input: RecordPaymentInput, settings: InvoiceDeskSettings, env: InvoiceActionEnvironment): Promise<PaymentResult | null> {
    return perform(input.invoiceId, 'recordPayment', async () => {
      // What follows a payment (stages, notification, processes) is automated: the journal keeps it.
      return (await paymentFlows()).recordPaymentWithJournal(portal, input, settings, env, 'user')
    })
  }

  /** Cancels the invoice (see `cancelInvoice`). */
  function cancel(portal: PortalClient, input: InvoiceActionInput, env: InvoiceActionEnvironment): Promise<InvoiceActionResult | null> {
    return perform(input.invoiceId, 'cancel', async () => (await markFlows()).cancelInvoice(portal, input, env))
  }

  /** Records or removes the promised payment day (see `setPromisedDate`). */
  function promise(portal: PortalClient, input: PromiseInput, env: InvoiceActionEnvironment): Promise<CollectionActionResult<'promise'> | null> {
    return perform(input.invoiceId, 'promise', async () => (await collectionFlows()).setPromisedDate(portal, input, env))
  }

  /** Opens or closes a dispute (see `setDisputed`). */
  function dispute(portal: PortalClient, input: DisputeInput, env: InvoiceActionEnvironment): Promise<CollectionActionResult<'dispute'> | null> {
    return perform(input.invoiceId, 'dispute', async () => (await collectionFlows()).setDisputed(portal, input, env))
  }

  function dismiss(): void {
    result.value = null
    error.value = null
  }

  return { running, result, error, busy, recordPayment, cancel, promise, dispute, dismiss }
})
