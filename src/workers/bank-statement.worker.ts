import type { BankStatement } from '../domain/bank/bank-statement.ts'
import type { BankWorkerAnswer, BankWorkerRequest } from './bank-statement-protocol.ts'
import { matchCandidates, matchPayments } from '../domain/bank/match-payments.ts'
import { openStatementBytes } from '../domain/bank/open-statement-bytes.ts'
import { bytesOf } from '../flows/bank-compute.ts'
import { BANK_WORKER_CHUNK } from './bank-statement-protocol.ts'

/** The statement import's decode, parse and match, off the page's thread (`bank-statement-client.ts`). */
const scope = self as unknown as { postMessage: (message: unknown) => void, onmessage: ((event: MessageEvent<BankWorkerRequest>) => void) | null }
/** The statements parsed, by ref: only the latest is kept (one import at a time). */
const statements = new Map<number, BankStatement>()
let nextRef = 1

function post(answer: BankWorkerAnswer): void {
  scope.postMessage(answer)
}

function postInParts(id: number, items: readonly unknown[]): void {
  for (let i = 0; i < items.length; i += BANK_WORKER_CHUNK)
    post({ id, part: items.slice(i, i + BANK_WORKER_CHUNK) })
}

scope.onmessage = async (event: MessageEvent<BankWorkerRequest>) => {
  const request = event.data
  try {
    if (request.op === 'open') {
      // A chosen file is read here: 62 MB made into an ArrayBuffer took a quarter of a second on the page.
      const opened = openStatementBytes(await bytesOf(request.file))
      if (opened.kind !== 'statement') {
        post({ id: request.id, done: true, value: opened })
        return
      }
      const ref = nextRef++
      statements.clear()
      statements.set(ref, opened.statement)
      const { incoming, ...head } = opened.statement
      postInParts(request.id, incoming)
      post({ id: request.id, done: true, value: { kind: 'statement', ref, head } })
      return
    }
    const statement = statements.get(request.ref)
    if (!statement)
      throw new Error('The statement is no longer in the worker')
    if (request.op === 'candidates') {
      post({ id: request.id, done: true, value: matchCandidates(statement.incoming, request.context) })
      return
    }
    // The page has the documents already: each match goes without its own, the page links it back by position.
    postInParts(request.id, matchPayments(statement.incoming, request.context).map(({ document: _document, ...match }) => match))
    post({ id: request.id, done: true, value: null })
  }
  catch (error) {
    post({ id: request.id, error: error instanceof Error ? error.message : String(error) })
  }
}
