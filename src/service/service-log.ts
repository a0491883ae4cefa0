/** One line of the service's own log: what happened and to which portal, never a token or secret. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>

export interface ServiceLog {
  info: (event: string, fields?: LogFields) => void
  warn: (event: string, fields?: LogFields) => void
}

/** Keys whose values are secrets: dropped from every line whatever the caller passes. */
const SECRET_KEY = /token|secret|password|auth|refresh|access/i

/**
 * The service's log: one JSON line per event (`{"at","level","event",…}`) to `write` (stdout by
 * default). Fields named like secrets are replaced by `[redacted]`, so a careless caller still
 * cannot print a token.
 */
export function createServiceLog(write: (line: string) => void = line => process.stdout.write(`${line}\n`), now: () => Date = () => new Date()): ServiceLog {
  const line = (level: 'info' | 'warn', event: string, fields: LogFields = {}) => {
    const safe = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, SECRET_KEY.test(key) ? '[redacted]' : value]))
    write(JSON.stringify({ at: now().toISOString(), level, event, ...safe }))
  }
  return { info: (event, fields) => line('info', event, fields), warn: (event, fields) => line('warn', event, fields) }
}
