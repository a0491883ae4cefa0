/** Injected failures for the next N calls of a method (`/emulator/faults`). */
/**
 * `error`: answer with the given status and code. `timeout`: never answer. `drop`: close the
 * connection before doing anything. `drop-after`: do the work, then close the connection without
 * an answer — the client cannot know the write happened (the case idempotency keys exist for).
 */
export type FaultKind = 'error' | 'timeout' | 'drop' | 'drop-after'

export interface Fault {
  method: string
  remaining: number
  kind: FaultKind
  status: number
  code: string
  description: string
}

export interface FaultBook {
  add(fault: Omit<Fault, 'remaining'> & { times: number }): void
  /** Uses up one occurrence of a fault for this method, if any. */
  take(method: string): Fault | null
  /** Without using it up: is a fault of this kind pending for the method? */
  peek(method: string): Fault | null
  clear(): void
}

export function createFaultBook(): FaultBook {
  let faults: Fault[] = []
  return {
    add({ times, ...fault }) {
      faults.push({ ...fault, remaining: Math.max(1, Math.floor(times)) })
    },
    peek: method => faults.find(fault => fault.method === method && fault.remaining > 0) ?? null,
    take(method) {
      const fault = faults.find(entry => entry.method === method && entry.remaining > 0)
      if (!fault) return null
      fault.remaining--
      faults = faults.filter(entry => entry.remaining > 0)
      return { ...fault }
    },
    clear() {
      faults = []
    },
  }
}
