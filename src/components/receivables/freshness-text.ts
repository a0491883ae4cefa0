/**
 * «5 минут назад» / "5 minutes ago" for an age in milliseconds, in the interface language
 * (`Intl.RelativeTimeFormat`); `justNow` under a minute.
 */
export function agoText(elapsedMs: number, locale: string, justNow: string): string {
  const minutes = Math.floor(Math.max(0, elapsedMs) / 60_000)
  if (minutes < 1)
    return justNow
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'always' })
  if (minutes < 60)
    return format.format(-minutes, 'minute')
  const hours = Math.floor(minutes / 60)
  return hours < 48 ? format.format(-hours, 'hour') : format.format(-Math.floor(hours / 24), 'day')
}
