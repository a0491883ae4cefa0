import { describe, expect, it } from 'vitest'
import { emailOf } from '../../../src/portal/issue/issue-dto.ts'

describe('portal/issue/issue-dto: emailOf', () => {
  it.each([
    ['a work address first', { id: 1, fm: [{ typeId: 'EMAIL', valueType: 'HOME', value: 'home@x.ru' }, { typeId: 'EMAIL', valueType: 'WORK', value: 'work@x.ru' }] }, 'work@x.ru'],
    ['any e-mail when there is no work one', { id: 1, fm: [{ typeId: 'PHONE', value: '+7' }, { typeId: 'EMAIL', valueType: 'HOME', value: 'home@x.ru' }] }, 'home@x.ru'],
    ['the plain email field as a fallback', { id: 1, fm: [], email: 'plain@x.ru' }, 'plain@x.ru'],
    ['nothing for an empty email field (so the company\'s address can be used)', { id: 1, fm: [], email: '' }, null],
    ['nothing for a blank multifield value', { id: 1, fm: [{ typeId: 'EMAIL', value: '' }] }, null],
    ['nothing without a record', null, null],
  ] as const)('takes %s', (_case, dto, expected) => {
    expect(emailOf(dto as never)).toBe(expected)
  })
})
