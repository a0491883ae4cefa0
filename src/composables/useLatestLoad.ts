import type { Ref, ShallowRef } from 'vue'
import { ref, shallowRef } from 'vue'

/** Where a load is: not asked yet, reading, shown, failed. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

/** Whether the load that took this check is still the newest one (no newer load started since). */
export type StillLatest = () => boolean

/** A load's state where the newest call wins: a slower older answer never overwrites a newer one. */
export interface LatestLoad {
  readonly status: Ref<LoadStatus>
  readonly error: ShallowRef<unknown>
  /**
   * Starts a load (every older one is stale from now on): `read`, then `apply` its value and mark
   * the load ready, or keep its error; a stale answer or error changes nothing. Resolves to the
   * load's check when its value was applied (for a follow-up read), else to null. Never rejects.
   */
  run: <T>(read: () => Promise<T>, apply: (value: T) => void) => Promise<StillLatest | null>
  /** The check of the newest load so far, for a read that continues it (the next page). */
  current: () => StillLatest
}

/**
 * The latest-wins load state a store keeps per data set (a deal's invoices, the journal's page,
 * the key metrics): one counter, its status and error. Call it inside a setup store and return
 * `status` and `error` with the store's state.
 */
export function useLatestLoad(): LatestLoad {
  const status = ref<LoadStatus>('idle')
  const error = shallowRef<unknown>(null)
  let latest = 0

  function current(): StillLatest {
    const mine = latest
    return () => mine === latest
  }

  async function run<T>(read: () => Promise<T>, apply: (value: T) => void): Promise<StillLatest | null> {
    latest++
    const stillLatest = current()
    status.value = 'loading'
    error.value = null
    try {
      const value = await read()
      if (!stillLatest())
        return null
      apply(value)
      status.value = 'ready'
      return stillLatest
    }
    catch (caught) {
      if (stillLatest()) {
        error.value = caught
        status.value = 'error'
      }
      return null
    }
  }

  return { status, error, run, current }
}
