import type { Ref } from 'vue'
import type { BankStatement, StatementAccountCheck } from '../domain/bank/bank-statement.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { shallowRef, watch } from 'vue'
import { checkStatementAccounts } from '../flows/statement-accounts.ts'

/**
 * Whether the statement on screen is our company's (`checkStatementAccounts`), checked again for
 * each new statement; null while checking or with no statement. A late answer for a statement no
 * longer shown is dropped.
 */
export function useStatementAccountCheck(options: { client: PortalClient, statement: Readonly<Ref<BankStatement | null>> }): { check: Readonly<Ref<StatementAccountCheck | null>> } {
  const check = shallowRef<StatementAccountCheck | null>(null)
  watch(options.statement, async (statement) => {
    check.value = null
    if (!statement)
      return
    const answer = await checkStatementAccounts(options.client, statement)
    if (options.statement.value === statement)
      check.value = answer
  }, { immediate: true })
  return { check }
}
