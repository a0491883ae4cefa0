// @vitest-environment happy-dom
import type { StatementAccountCheck } from '../../../src/domain/bank/bank-statement.ts'
import { describe, expect, it } from 'vitest'
import BankStatementAccounts from '../../../src/components/bank/BankStatementAccounts.vue'
import { mountWithKit } from '../mount-with-kit.ts'

const OURS = '40702810900000000001'
const THEIRS = '40702810500000000777'

describe('components/BankStatementAccounts', () => {
  it.each<[string, StatementAccountCheck, string[], string | null]>([
    ['warns of a foreign account, naming it', { status: 'foreign', foreign: [THEIRS] }, [OURS, THEIRS], `Выписка по счёту ${THEIRS}, которого нет`],
    ['says it could not check the account', { status: 'unknown', foreign: [] }, [THEIRS], `Не удалось проверить, что счёт выписки (${THEIRS})`],
    ['says a file without an account cannot be checked', { status: 'unknown', foreign: [] }, [], 'В файле нет счёта получателя'],
    ['says nothing for our own account', { status: 'ours', foreign: [] }, [OURS], null],
  ])('%s', (_, check, accounts, text) => {
    const wrapper = mountWithKit(BankStatementAccounts, { props: { check, accounts } })
    const alert = wrapper.find(`[data-testid="bank-accounts-${check.status}"]`)
    expect(alert.exists()).toBe(text !== null)
    if (text)
      expect(alert.text()).toContain(text)
    wrapper.unmount()
  })
})
