import type { BankStatement, StatementAccountCheck } from '../domain/bank/bank-statement.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { foreignStatementAccounts } from '../domain/bank/bank-statement.ts'
import { readOurBankAccounts } from '../portal/bank/our-bank-accounts.ts'

/**
 * Whether the statement's accounts (`РасчСчет`) are our company's, by the bank details of "my
 * companies" in the portal: `foreign` names the accounts that are not, `unknown` when the file
 * names none (a CSV) or the portal's bank details cannot be read or list none. Never throws: the
 * check only warns, it does not stop an import.
 */
export async function checkStatementAccounts(portal: PortalClient, statement: Pick<BankStatement, 'accounts'>): Promise<StatementAccountCheck> {
  if (statement.accounts.length === 0)
    return foreignStatementAccounts([], null)
  return foreignStatementAccounts(statement.accounts, await readOurBankAccounts(portal))
}
