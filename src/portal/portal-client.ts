import type { PortalError } from './portal-error.ts'

/**
 * The interface flows and stores program against. The SDK-backed implementation lives in
 * `sdk-portal-client.ts`; tests may pass a fake.
 */

/** Parameters of a REST v2 call, exactly as Bitrix24 documents them. */
export type RestParams = Record<string, unknown>

export interface RestCall {
  readonly method: string
  readonly params?: RestParams
}

/** One command's outcome inside a batch: its payload, or the error Bitrix24 gave for it. */
export type BatchOutcome
  = | { readonly ok: true, readonly result: unknown, readonly total: number }
    | { readonly ok: false, readonly error: PortalError }

export interface BatchOptions {
  /** Stop at the first failing command (`halt = 1`), for chains where a later write must not run after a failed one. Default false. */
  readonly haltOnError?: boolean
}

export interface PortalClient {
  /** One REST read: one HTTP round trip (the SDK retries limits and network errors). Throws `PortalError`. */
  call: <T>(method: string, params?: RestParams) => Promise<T>
  /**
   * Up to 50 named commands in one HTTP round trip. By default (`halt = 0`) every command runs and
   * each one's failure is returned in its outcome; with `haltOnError` the portal stops at the first
   * failing command and the later ones come back as `NOT_RUN`. Throws `PortalError` only when the
   * batch itself failed.
   */
  batch: (calls: Readonly<Record<string, RestCall>>, options?: BatchOptions) => Promise<Record<string, BatchOutcome>>
  /** HTTP round trips made so far by this client (a batch counts once). */
  readonly roundTrips: () => number
}
