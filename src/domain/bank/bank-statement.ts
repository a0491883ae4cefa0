import type { CalendarDate } from '../calendar-date.ts'
import type { Money } from '../money.ts'

/** One incoming payment of a bank statement, whatever the file's format. */
export interface BankDocument {
  /** The 1-based line of the file where the document starts (`СекцияДокумент`, or the CSV row). */
  readonly line: number
  /** The payment order's number (`Номер`). */
  readonly number: string
  /** The payment order's date (`Дата`). */
  readonly date: CalendarDate
  /** The day the money reached our account (`ДатаПоступило`), else `date`: the payment's day. */
  readonly receivedOn: CalendarDate
  /** In kopecks; statements are in roubles. */
  readonly amount: Money
  readonly payerAccount: string
  /** 10 digits (a company) or 12 (an individual); empty when the bank gave none. */
  readonly payerInn: string
  readonly payerName: string
  /** Our account the money came to (`ПолучательСчет`, or `ПолучательРасчСчет` when only that one is ours); empty in a CSV without that column. */
  readonly recipientAccount: string
  readonly purpose: string
  /** Stable across re-imports of the same statement (`bankDocumentKey`); recorded with the payment. */
  readonly key: string
}

/** Why a line of the file was not read: reported with its line number, never silently dropped. */
export type StatementProblemCode
  = | 'notStatement' | 'badLine' | 'badDate' | 'badAmount' | 'missingField'
    | 'unclosedDocument' | 'noEndOfFile' | 'afterEndOfFile' | 'badRow' | 'duplicate'

export interface StatementProblem {
  /** 1-based line in the file (0: the file as a whole). */
  readonly line: number
  readonly code: StatementProblemCode
  /** The offending text or field name, for the accountant to find it. */
  readonly text: string
}

export type StatementEncoding = 'utf-8' | 'windows-1251' | 'ibm866'

/** A statement read from a file: its incoming payments, what was left out, and what could not be read. */
export interface BankStatement {
  readonly format: '1c' | 'csv'
  readonly encoding: StatementEncoding
  /** Our accounts the statement covers (`РасчСчет`); empty for a CSV. */
  readonly accounts: readonly string[]
  /** Incoming payments in file order. */
  readonly incoming: readonly BankDocument[]
  /** Documents that are not incoming payments (ours to others): counted, not listed. */
  readonly outgoingCount: number
  readonly problems: readonly StatementProblem[]
}

/** The currency of every statement the app reads: the 1C exchange format has no other. */
export const STATEMENT_CURRENCY = 'RUB'

/**
 * Whether the statement is for our company: `ours` when every account it covers (`РасчСчет`) is
 * among `ourAccounts` (the bank details of our company's requisites in the portal), `foreign`
 * with the accounts that are not, `unknown` when it cannot be told — the file names no account
 * (a CSV), or the portal lists no bank details or could not be read (`null`). Account numbers are
 * compared by their digits.
 */
export function foreignStatementAccounts(accounts: readonly string[], ourAccounts: readonly string[] | null): StatementAccountCheck {
  const digits = (account: string) => account.replace(/\D/g, '')
  const ours = new Set((ourAccounts ?? []).map(digits).filter(Boolean))
  if (accounts.length === 0 || ours.size === 0)
    return { status: 'unknown', foreign: [] }
  const foreign = accounts.filter(account => !ours.has(digits(account)))
  return { status: foreign.length > 0 ? 'foreign' : 'ours', foreign }
}

/** The answer of `foreignStatementAccounts`. */
export interface StatementAccountCheck {
  readonly status: 'ours' | 'foreign' | 'unknown'
  /** The statement's accounts that are not ours (empty unless `foreign`). */
  readonly foreign: readonly string[]
}
