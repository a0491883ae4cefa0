import type { Ref, ShallowRef } from 'vue'
import type { PortalClient } from '../portal/portal-client.ts'
import { ref, shallowRef, watch } from 'vue'
import { readOverrideCompanies } from '../flows/settings-editor.ts'

/** What the editor knows of one override's company: its title, that the portal does not list it, or not yet. */
export type OverrideCompany
  = | { readonly kind: 'named', readonly name: string }
    | { readonly kind: 'missing' }
    | { readonly kind: 'unknown' }

export interface OverrideCompaniesOptions {
  /** The portal; null (no session) leaves every company unknown. */
  readonly client: PortalClient | null
  /** The ids the overrides hold now (0 = not chosen yet). */
  readonly ids: () => readonly number[]
}

export interface OverrideCompaniesState {
  readonly status: Ref<'idle' | 'loading' | 'ready' | 'error'>
  readonly error: ShallowRef<unknown>
  /** What is known of the company `id`. */
  readonly companyOf: (id: number) => OverrideCompany
  /** A company chosen in the picker: its title is known without asking the portal. */
  readonly remember: (id: number, name: string) => void
  /** Reads the ids not known yet again (after a failure). */
  readonly reload: () => Promise<void>
}

/**
 * The titles of the overrides' companies: every id not known yet in ONE round trip (`readOverrideCompanies`), read
 * when the editor opens and when an id appears that neither the portal's answer nor the picker has named.
 */
export function useOverrideCompanies(options: OverrideCompaniesOptions): OverrideCompaniesState {
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle')
  const error = shallowRef<unknown>(null)
  const named = ref(new Map<number, string>())
  const missing = ref(new Set<number>())

  const unknownIds = () => options.ids().filter(id => id > 0 && !named.value.has(id) && !missing.value.has(id))

  async function reload(): Promise<void> {
    const ids = unknownIds()
    const client = options.client
    if (ids.length === 0 || !client)
      return
    status.value = 'loading'
    try {
      const titles = await readOverrideCompanies(client, ids)
      for (const id of ids) {
        const name = titles.get(id)
        if (name === undefined)
          missing.value.add(id)
        else named.value.set(id, name)
      }
      error.value = null
      status.value = 'ready'
    }
    catch (failure) {
      error.value = failure
      status.value = 'error'
    }
  }

  function companyOf(id: number): OverrideCompany {
    const name = named.value.get(id)
    if (name !== undefined)
      return { kind: 'named', name }
    return missing.value.has(id) ? { kind: 'missing' } : { kind: 'unknown' }
  }

  function remember(id: number, name: string): void {
    named.value.set(id, name)
    missing.value.delete(id)
  }

  watch(() => unknownIds().join(','), (key) => {
    if (key !== '' && status.value !== 'loading' && status.value !== 'error')
      void reload()
  }, { immediate: true })

  return { status, error, companyOf, remember, reload }
}
