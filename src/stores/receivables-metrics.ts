import type { MetricsInputs } from '../domain/receivables/key-metrics.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { useLatestLoad } from '../composables/useLatestLoad.ts'
import { keyMetrics } from '../domain/receivables/key-metrics.ts'
import { filterInvoices, periodOf } from '../domain/receivables/period.ts'
import { readKeyMetricsFor } from '../flows/key-metrics-inputs.ts'
import { useReceivablesStore } from './receivables.ts'

/**
 * The dashboard's key metrics: read on demand (the section opened), once per period and scan,
 * from the receivables store's invoices and filters plus `readKeyMetricsFor`.
 */
export const useReceivablesMetricsStore = defineStore('receivables-metrics', () => {
  const receivables = useReceivablesStore()
  const latest = useLatestLoad()
  const { status, error } = latest
  const inputs = shallowRef<MetricsInputs | null>(null)
  /** Round trips of the last read (the dashboard's cost budget). */
  const roundTrips = ref(0)
  /** `YYYY-MM` of the month whose errors are listed; null = none. */
  const errorsMonth = ref<string | null>(null)
  let readFor: unknown = null
  let lastKey = ''

  const period = computed(() => (receivables.data ? periodOf(receivables.period, receivables.data.asOf) : null))
  const metrics = computed(() => {
    const data = receivables.data
    if (!data || !period.value || !inputs.value)
      return null
    const invoices = filterInvoices(data.invoices, { currency: receivables.currency, categoryId: null, responsibleId: null })
    return keyMetrics(invoices, { categoryId: receivables.categoryId, responsibleId: receivables.responsibleId }, period.value, inputs.value)
  })

  /** Reads what the metrics need for the dashboard's period (nothing when this period and scan were read already). */
  async function load(portal: PortalClient, journalTypeId: number | null): Promise<void> {
    const data = receivables.data
    const current = period.value
    if (!data || !current)
      return
    const key = `${current.from}|${current.to}`
    if (readFor === data && inputs.value && status.value === 'ready' && key === lastKey)
      return
    await latest.run(() => readKeyMetricsFor(portal, data.invoices, current, journalTypeId), (read) => {
      inputs.value = read
      roundTrips.value = read.roundTrips
      readFor = data
      lastKey = key
    })
  }

  return { status, inputs, error, roundTrips, errorsMonth, period, metrics, load }
})
