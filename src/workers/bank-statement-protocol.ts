import type { BankStatement } from '../domain/bank/bank-statement.ts'
import type { MatchContext } from '../domain/bank/match-payments.ts'

/** Requests to the statement worker; `ref` names a statement the worker parsed and keeps. */
export type BankWorkerRequest
  = | { readonly id: number, readonly op: 'open', readonly file: Uint8Array | Blob }
    | { readonly id: number, readonly op: 'candidates' | 'match', readonly ref: number, readonly context: MatchContext }

/**
 * Answers: long lists come in parts of `BANK_WORKER_CHUNK` items (each part is decoded on the page
 * in its own short task), then one `done` with the rest of the value.
 */
export type BankWorkerAnswer
  = | { readonly id: number, readonly part: readonly unknown[] }
    | { readonly id: number, readonly done: true, readonly value: unknown }
    | { readonly id: number, readonly error: string }

/** A statement's head as the worker sends it: everything but the documents, which come in parts. */
export type StatementHead = Omit<BankStatement, 'incoming'>

/**
 * Items per part: each part is decoded on the page in its own task. 2,000 documents took 50–240 ms
 * there on a loaded machine; 250 stay well under 50 ms.
 */
export const BANK_WORKER_CHUNK = 250
