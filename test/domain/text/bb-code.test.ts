import { describe, expect, it } from 'vitest'
import { escapeBbCode, escapeBbCodeValues } from '../../../src/domain/text/bb-code.ts'

describe('domain/text/bb-code', () => {
  it.each([
    ['[URL=https://evil.example]Оплатить здесь[/URL]', '［URL=https://evil.example］Оплатить здесь［/URL］'],
    ['[url]https://evil.example[/url]', '［url］https://evil.example［/url］'],
    ['ООО [b]Ромашка[/b]', 'ООО ［b］Ромашка［/b］'],
    ['[user=all]Все[/user]', '［user=all］Все［/user］'],
    ['[send=/delete]Жми[/send]', '［send=/delete］Жми［/send］'],
    ['[CALL=+79991234567]позвонить[/CALL]', '［CALL=+79991234567］позвонить［/CALL］'],
    ['[img size=large]https://evil.example/x.png [/img]', '［img size=large］https://evil.example/x.png ［/img］'],
    ['Ромашка[br]>>цитата', 'Ромашка［br］> >цитата'],
    ['Ромашка\n>>цитата', 'Ромашка > >цитата'],
    ['Ромашка\r\n------\r\nподделка', 'Ромашка ----- подделка'],
    ['Ромашка\u2028вторая строка', 'Ромашка вторая строка'],
    ['>>>', '> > >'],
  ])('makes %j inert', (text, inert) => {
    expect(escapeBbCode(text)).toBe(inert)
  })

  it.each([
    'ООО «Ромашка»', 'ИП Иванов И. И.', 'Счёт № 12-А/2026', 'a > b', 'Тире — и дефис - 2026', 'user@example.com',
  ])('leaves the ordinary name %j as it was', (text) => {
    expect(escapeBbCode(text)).toBe(text)
  })

  it('escapes every value of a template', () => {
    expect(escapeBbCodeValues({ 'client.name': '[b]X[/b]', 'deal.title': 'Y' })).toEqual({ 'client.name': '［b］X［/b］', 'deal.title': 'Y' })
  })
})
