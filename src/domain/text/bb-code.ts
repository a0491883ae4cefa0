/**
 * Outside text (client, deal, company and product names, invoice numbers and titles, a typed
 * reason) made inert before it goes into a Bitrix24 notification, task or timeline entry.
 *
 * Bitrix24 renders BB codes in `im.notify.*` messages and in task descriptions — tags in square
 * brackets (`[b]`, `[url=…]`, `[user=…]`, `[send=…]`, `[call=…]`, `[img …]`, `[disk=…]`, `[br]` …),
 * a line starting with `>>` as a quote, a `------` line as a full quote, and a line break for `\n`
 * (R: `api-reference/chat-bots/chat-bots-v2/imbot.v2/messages/message-formatting.md`, which
 * `api-reference/chats/messages/formatting.md` names as the current page and which lists the
 * `im.notify.*` methods among those that format). The docs give no escape sequence, so:
 * - `[` and `]` become the full-width `［` `］`: no tag can open or close, the text still reads the same;
 * - line breaks become spaces: a name cannot start a line of its own (`>>` quote, `------` quote);
 * - `>>` becomes `> >` and a run of six or more `-` is cut to five, wherever they stand.
 */
export function escapeBbCode(text: string): string {
  return text
    .replace(/\[/g, '［')
    .replace(/\]/g, '］')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/>(?=>)/g, '> ')
    .replace(/-{6,}/g, '-----')
}

/** The same values with each one made inert by `escapeBbCode` (for templates rendered into a task or a notification). */
export function escapeBbCodeValues<T extends Readonly<Partial<Record<string, string>>>>(values: T): T {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === undefined ? value : escapeBbCode(value)])) as T
}
