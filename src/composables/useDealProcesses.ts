import type { Ref, ShallowRef } from 'vue'
import type { DealProcesses } from '../flows/business-process.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { ref, shallowRef } from 'vue'
import { loadDealProcesses, stopProcess } from '../flows/business-process.ts'

/** Where the deal's processes section is: closed until asked for, reading, shown, failed. */
export type DealProcessesStatus = 'closed' | 'loading' | 'ready' | 'error'

/** What the section needs to know: the portal, the deal and its invoices, the status text a stop leaves. */
export interface DealProcessesOptions {
  readonly client: PortalClient
  readonly dealId: () => number
  readonly invoiceIds: () => readonly number[]
  readonly stopStatus: () => string
}

/** The deal's business processes and the actions on them, for a section that only renders them. */
export interface DealProcessesState {
  readonly status: Ref<DealProcessesStatus>
  readonly data: ShallowRef<DealProcesses | null>
  readonly error: ShallowRef<unknown>
  /** The workflow being stopped; null when none is. */
  readonly stopping: Ref<string | null>
  readonly stopError: ShallowRef<unknown>
  /** One round trip (`loadDealProcesses`); the list stays on screen while it reads again. */
  readonly load: () => Promise<void>
  /** Stops one listed workflow (`stopProcess`), then reads the list again; a failure is kept in `stopError`. */
  readonly stop: (workflowId: string) => Promise<void>
}

/** The deal's processes: read on demand, stop one, read again (in the manner of an action composable). */
export function useDealProcesses(options: DealProcessesOptions): DealProcessesState {
  const status = ref<DealProcessesStatus>('closed')
  const data = shallowRef<DealProcesses | null>(null)
  const error = shallowRef<unknown>(null)
  const stopping = ref<string | null>(null)
  const stopError = shallowRef<unknown>(null)

  async function load(): Promise<void> {
    status.value = 'loading'
    try {
      data.value = await loadDealProcesses(options.client, options.dealId(), options.invoiceIds())
      status.value = 'ready'
    }
    catch (caught) {
      error.value = caught
      status.value = 'error'
    }
  }

  async function stop(workflowId: string): Promise<void> {
    const process = data.value?.processes.find(entry => entry.workflowId === workflowId)
    if (!process)
      return
    stopping.value = workflowId
    stopError.value = null
    try {
      await stopProcess(options.client, process, options.stopStatus(), options.invoiceIds())
      await load()
    }
    catch (caught) {
      stopError.value = caught
    }
    finally {
      stopping.value = null
    }
  }

  return { status, data, error, stopping, stopError, load, stop }
}
