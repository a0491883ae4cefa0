import type { BankStatement } from '../domain/bank/bank-statement.ts'
import type { MatchCandidates, MatchContext, PaymentMatch } from '../domain/bank/match-payments.ts'
import type { OpenedBytes } from '../domain/bank/open-statement-bytes.ts'
import { matchCandidates, matchPayments } from '../domain/bank/match-payments.ts'
import { openStatementBytes } from '../domain/bank/open-statement-bytes.ts'

/**
 * The statement import's pure heavy work — decode and parse the file, find the candidate invoices,
 * match — behind one interface: run here (`inlineBankCompute`, Node, tests), or in a Web Worker in
 * the browser (`src/workers/bank-statement-client.ts`) so that a statement of 100,000 documents
 * never blocks the page.
 */
export interface BankCompute {
  /**
   * The file as chosen (a `Blob`: a Web Worker reads it there, the page never holds its bytes) or its
   * bytes, handed over: a Web Worker takes them without a copy, and the caller must not read them afterwards.
   */
  open: (file: Uint8Array | Blob) => Promise<OpenedBytes>
  candidates: (statement: BankStatement, context: MatchContext) => Promise<MatchCandidates>
  match: (statement: BankStatement, context: MatchContext) => Promise<PaymentMatch[]>
}

/** The work done in this thread. */
export const inlineBankCompute: BankCompute = {
  open: async file => openStatementBytes(await bytesOf(file)),
  candidates: async (statement, context) => matchCandidates(statement.incoming, context),
  match: async (statement, context) => matchPayments(statement.incoming, context),
}

/** A file's bytes: a `Blob` read whole (https://w3c.github.io/FileAPI/#dom-blob-arraybuffer), bytes as they are. */
export async function bytesOf(file: Uint8Array | Blob): Promise<Uint8Array> {
  return file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer())
}
