import qs from 'qs'
import { describe, expect, it } from 'vitest'
import { parseBatchCommands, parseHalt, phpArray, substituteReferences, UnresolvedReferenceError } from '../rest/batch-commands.ts'

describe('batch command parsing', () => {
  it('parses SDK-encoded commands with nested brackets', () => {
    const command = `crm.item.list?${qs.stringify({ entityTypeId: 31, select: ['id', 'title'], filter: { '>id': 5, '@stageId': ['A', 'B'] } })}`
    const [parsed] = parseBatchCommands({ list: command })
    expect(parsed).toEqual({
      key: 'list',
      method: 'crm.item.list',
      params: { entityTypeId: '31', select: ['id', 'title'], filter: { '>id': '5', '@stageId': ['A', 'B'] } },
    })
  })

  it('accepts arrays of commands (keys 0, 1, …) and .json suffixes', () => {
    expect(parseBatchCommands(['profile', 'APP.INFO.json?x=1']).map(command => [command.key, command.method])).toEqual([['0', 'profile'], ['1', 'app.info']])
  })

  it('reads halt as true/false/1/0', () => {
    expect([true, 1, '1', 'true'].map(parseHalt)).toEqual([true, true, true, true])
    expect([false, 0, '0', undefined, 'false'].map(parseHalt)).toEqual([false, false, false, false, false])
  })
})

describe('$result references', () => {
  const results = new Map<string, unknown>([
    ['inv', { items: [{ id: 7, categoryId: 5 }] }],
    ['add', { item: { id: 42, contactIds: [3, 4] } }],
  ])

  it('substitutes a whole value with the referenced value', () => {
    expect(substituteReferences({ id: '$result[add][item][id]' }, results)).toEqual({ id: 42 })
    expect(substituteReferences({ ids: '$result[add][item][contactIds]' }, results)).toEqual({ ids: [3, 4] })
  })

  it('substitutes in the middle of a string and deep inside params', () => {
    const params = { filter: { ENTITY_ID: 'SMART_INVOICE_STAGE_$result[inv][items][0][categoryId]' }, list: ['x$result[add][item][id]y'] }
    expect(substituteReferences(params, results)).toEqual({ filter: { ENTITY_ID: 'SMART_INVOICE_STAGE_5' }, list: ['x42y'] })
  })

  it('follows list indexes, and fails past the end of the list', () => {
    const list = new Map<string, unknown>([['invoices', { items: [{ id: 9 }, { id: 8 }] }]])
    expect(substituteReferences({ entityId: '$result[invoices][items][1][id]' }, list)).toEqual({ entityId: 8 })
    expect(() => substituteReferences({ entityId: '$result[invoices][items][3][id]' }, list)).toThrowError(UnresolvedReferenceError)
  })

  it('fails on an unresolvable reference', () => {
    expect(() => substituteReferences({ id: '$result[missing][id]' }, results)).toThrowError(UnresolvedReferenceError)
    expect(() => substituteReferences({ id: '$result[add][item][nope]' }, results)).toThrowError(UnresolvedReferenceError)
  })

  it('encodes maps like PHP arrays', () => {
    expect(phpArray(new Map())).toEqual([])
    expect(phpArray(new Map([['0', 'a'], ['1', 'b']]))).toEqual(['a', 'b'])
    expect(phpArray(new Map([['1', 'b']]))).toEqual({ 1: 'b' })
    expect(phpArray(new Map([['k', 1]]))).toEqual({ k: 1 })
  })
})
