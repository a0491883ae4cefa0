import { describe, expect, it } from 'vitest'
import { escapeHtml, renderTemplate, renderTemplateHtml, renderTemplateText } from '../../../src/domain/template/render-template.ts'
import { placeholdersIn, TEMPLATE_VARIABLES, unknownPlaceholders } from '../../../src/domain/template/template-variables.ts'

const values = { 'invoice.number': 'СЧ-7', 'invoice.sum': '1 000,00 ₽', 'client.name': 'ООО «Ромашка»' }

describe('domain/template/render-template', () => {
  it.each([
    ['fills known variables', 'Счёт {invoice.number} на {invoice.sum}', 'Счёт СЧ-7 на 1 000,00 ₽'],
    ['renders a known variable without a value as empty', 'Оплатить до {invoice.dueDate}.', 'Оплатить до .'],
    ['keeps unknown placeholders as written', 'Номер {invoice.numbr}', 'Номер {invoice.numbr}'],
    ['leaves braces that are not placeholders alone', 'JSON { "a": 1 } и {}', 'JSON { "a": 1 } и {}'],
    ['fills the same variable twice', '{invoice.number}/{invoice.number}', 'СЧ-7/СЧ-7'],
  ])('as text: %s', (_name, template, expected) => {
    expect(renderTemplateText(template, values)).toBe(expected)
  })

  it.each([
    ['escapes a value: a company named <script> shows as text', 'Привет, {client.name}', { 'client.name': '<script>alert(1)</script>' }, 'Привет, &lt;script&gt;alert(1)&lt;/script&gt;'],
    ['escapes the admin\'s own text too', '<b>{invoice.number}</b> & co', values, '&lt;b&gt;СЧ-7&lt;/b&gt; &amp; co'],
    ['turns line breaks into <br>', 'a\nb\r\nc', values, 'a<br>\nb<br>\nc'],
    ['links an http(s) payment link', '{payment.link}', { 'payment.link': 'https://pay.example/?a=1&b=2' }, '<a href="https://pay.example/?a=1&amp;b=2">https://pay.example/?a=1&amp;b=2</a>'],
    ['never links a javascript: URL', '{document.link}', { 'document.link': 'javascript:alert(1)' }, 'javascript:alert(1)'],
    ['escapes quotes in values', '{client.name}', { 'client.name': '"O\'Neil"' }, '&quot;O&#39;Neil&quot;'],
    ['keeps an unknown placeholder, escaped', '{x.y} <', values, '{x.y} &lt;'],
  ])('as HTML: %s', (_name, template, given, expected) => {
    expect(renderTemplateHtml(template, given)).toBe(expected)
  })

  it('renderTemplate defaults to HTML and can render text', () => {
    expect(renderTemplate('<{client.name}>', values)).toBe('&lt;ООО «Ромашка»&gt;')
    expect(renderTemplate('<{client.name}>', values, 'text')).toBe('<ООО «Ромашка»>')
  })

  it('escapeHtml escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;')
  })

  it.each([
    ['{invoice.number} {client.name} {invoice.number}', ['invoice.number', 'client.name'], []],
    ['{invoice.numbr} и {Client.Name}', ['invoice.numbr', 'Client.Name'], ['invoice.numbr', 'Client.Name']],
    ['без переменных', [], []],
  ])('finds placeholders in %j', (template, used, unknown) => {
    expect(placeholdersIn(template)).toEqual(used)
    expect(unknownPlaceholders(template)).toEqual(unknown)
  })

  it('documents every variable the README names («Client e-mails: who sends them, what reaches the client»)', () => {
    for (const name of ['invoice.number', 'invoice.sum', 'invoice.dueDate', 'client.name', 'manager.name', 'payment.link', 'document.link'])
      expect(TEMPLATE_VARIABLES).toContain(name)
  })
})

describe('domain/template: a line whose link is empty', () => {
  const template = 'Счёт: {document.link}\nОплатить онлайн: {payment.link}\nС уважением'
  it('is left out, with its line break, when the value is empty (html and text)', () => {
    const values = { 'document.link': 'https://portal.example/~abc', 'payment.link': '' }
    expect(renderTemplate(template, values, 'html')).toBe('Счёт: <a href="https://portal.example/~abc">https://portal.example/~abc</a><br>\nС уважением')
    expect(renderTemplate(template, values, 'text')).toBe('Счёт: https://portal.example/~abc\nС уважением')
  })
  it('stays when the link has a value; other empty variables keep their line', () => {
    const values = { 'document.link': 'https://portal.example/~abc', 'payment.link': 'https://portal.example/~abc', 'client.name': '' }
    expect(renderTemplate('{client.name}!\nОплатить онлайн: {payment.link}', values, 'text')).toBe('!\nОплатить онлайн: https://portal.example/~abc')
  })
  it('drops the last line too, and a template with only that line renders empty', () => {
    expect(renderTemplate('А\nОплатить онлайн: {payment.link}', {}, 'html')).toBe('А')
    expect(renderTemplate('Оплатить онлайн: {payment.link}', {}, 'text')).toBe('')
  })
})
