import type { BankStatement } from '../domain/bank/bank-statement.ts'
import type { MatchCandidates, MatchContext, PaymentMatch } from '../domain/bank/match-payments.ts'
import type { OpenedBytes } from '../domain/bank/open-statement-bytes.ts'
import type { BankCompute } from '../flows/bank-compute.ts'
import type { BankWorkerAnswer, BankWorkerRequest, StatementHead } from './bank-statement-protocol.ts'
import { inlineBankCompute } from '../flows/bank-compute.ts'

type Pending = { parts: unknown[], resolve: (value: { parts: unknown[], value: unknown }) => void, reject: (error: Error) => void }

/**
 * `BankCompute` in a Web Worker (Vite bundles `bank-statement.worker.ts` as a module worker): the
 * bytes are transferred, not copied (the caller's array is empty afterwards); the statement stays in the worker, and the documents and
 * matches come back in parts, so no task on the page runs long even for 100,000 documents. A
 * statement the worker did not parse (a CSV's, mapped on the page) is matched here instead.
 */
export function workerBankCompute(): BankCompute {
  const worker = new Worker(new URL('./bank-statement.worker.ts', import.meta.url), { type: 'module' })
  const refs = new WeakMap<BankStatement, number>()
  const pending = new Map<number, Pending>()
  let nextId = 1
  worker.onmessage = (event: MessageEvent<BankWorkerAnswer>) => {
    const answer = event.data
    const waiting = pending.get(answer.id)
    if (!waiting)
      return
    if ('part' in answer) {
      for (const item of answer.part)
        waiting.parts.push(item)
      return
    }
    pending.delete(answer.id)
    if ('error' in answer)
      waiting.reject(new Error(answer.error))
    else
      waiting.resolve({ parts: waiting.parts, value: answer.value })
  }
  const ask = (request: BankWorkerRequest extends infer R ? R extends BankWorkerRequest ? Omit<R, 'id'> : never : never, transfer: Transferable[] = []): Promise<{ parts: unknown[], value: unknown }> => new Promise((resolve, reject) => {
    const id = nextId++
    pending.set(id, { parts: [], resolve, reject })
    worker.postMessage({ ...request, id }, transfer)
  })
  return {
    async open(file: Uint8Array | Blob): Promise<OpenedBytes> {
      // A Blob goes as it is (a handle, read in the worker). Bytes that fill their buffer are handed
      // over (`BankCompute.open`); copying 62 MB took a third of a second on the page. Only a view
      // into a larger buffer is copied first.
      const own = file instanceof Blob || (file.byteOffset === 0 && file.byteLength === file.buffer.byteLength && file.buffer instanceof ArrayBuffer) ? file : file.slice()
      const { parts, value } = await ask({ op: 'open', file: own }, own instanceof Blob ? [] : [own.buffer as ArrayBuffer])
      const opened = value as OpenedBytes | { kind: 'statement', ref: number, head: StatementHead }
      if (opened.kind !== 'statement' || !('ref' in opened))
        return opened as OpenedBytes
      const statement: BankStatement = { ...opened.head, incoming: parts as BankStatement['incoming'] }
      refs.set(statement, opened.ref)
      return { kind: 'statement', statement }
    },
    async candidates(statement: BankStatement, context: MatchContext): Promise<MatchCandidates> {
      const ref = refs.get(statement)
      return ref === undefined ? inlineBankCompute.candidates(statement, context) : (await ask({ op: 'candidates', ref, context })).value as MatchCandidates
    },
    async match(statement: BankStatement, context: MatchContext): Promise<PaymentMatch[]> {
      const ref = refs.get(statement)
      if (ref === undefined)
        return inlineBankCompute.match(statement, context)
      // Matches come in the documents' order, without them (`bank-statement.worker.ts`).
      const matches = (await ask({ op: 'match', ref, context })).parts as Array<Omit<PaymentMatch, 'document'> & { document?: PaymentMatch['document'] }>
      matches.forEach((match, i) => {
        match.document = statement.incoming[i]
      })
      return matches as PaymentMatch[]
    },
  }
}
