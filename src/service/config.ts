import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type AnswerRetryPolicy, DEFAULT_ANSWER_RETRY } from './robot/robot-answer.ts'

/** How late a deal's event may come before it counts as missed, by default. */
export const DEFAULT_EVENT_GRACE_MS = 120_000

/** `INVOICE_DESK_POLL`: `1` always poll, `0` never, unset: poll a portal while its events do not reach the service. */
export type PollSetting = 'auto' | 'on' | 'off'

/** The service's configuration, from the environment only (README «The Invoice Desk service»). */
export interface ServiceConfig {
  /** `PORT`, default 8090. */
  readonly port: number
  /** `INVOICE_DESK_PUBLIC_URL`: the base URL Bitrix24 reaches the service at (handlers are built from it). */
  readonly publicUrl: string
  /** `INVOICE_DESK_CLIENT_ID` / `INVOICE_DESK_CLIENT_SECRET`: the local application's credentials. */
  readonly clientId: string
  readonly clientSecret: string
  /** `INVOICE_DESK_OAUTH_URL`, default `https://oauth.bitrix.info`. */
  readonly oauthUrl: string
  /** `DATABASE_URL` (PostgreSQL) or null for the embedded store. */
  readonly databaseUrl: string | null
  /** `INVOICE_DESK_DATA_DIR`, default `./data`: the embedded store's folder. */
  readonly dataDir: string
  /**
   * `INVOICE_DESK_POLL`: `1` (`on`) every portal is polled as if Bitrix24 could not reach the service;
   * `0` (`off`) never; unset (`auto`) a portal is polled while its deal events do not arrive.
   */
  readonly poll: PollSetting
  /** `INVOICE_DESK_EVENT_GRACE_SECONDS`, default 120 (`DEFAULT_EVENT_GRACE_MS`): how late a deal's event may come before the service counts it missed. */
  readonly eventGraceMs?: number
  /** `INVOICE_DESK_ANSWER_ATTEMPTS` (default 8) and `INVOICE_DESK_ANSWER_RETRY_SECONDS` (default 30): answering a robot. */
  readonly answerRetry?: AnswerRetryPolicy
  /** `INVOICE_DESK_POLL_MINUTES`, default 5: the poll interval (fractions allowed for tests). */
  readonly pollIntervalMs: number
  /** `INVOICE_DESK_SCHEDULE_SECONDS`, default 60: how often the nightly schedule is checked. */
  readonly scheduleTickMs: number
  /** `INVOICE_DESK_DIST_DIR`, default `./dist`: the built app served for placements. */
  readonly distDir: string
  /** `INVOICE_DESK_CA_FILE`: extra PEM CA for portals behind a private CA. */
  readonly caCertificate?: string
  /** `INVOICE_DESK_LOCALE` (`ru`|`en`), default `ru`: language of robot answers and journal entries. */
  readonly locale: 'ru' | 'en'
}

/** Reads the configuration; answers the first problem as a sentence instead. */
export function readServiceConfig(env: NodeJS.ProcessEnv): ServiceConfig | string {
  const clientId = env.INVOICE_DESK_CLIENT_ID ?? ''
  const clientSecret = env.INVOICE_DESK_CLIENT_SECRET ?? ''
  if (!clientId || !clientSecret)
    return 'Set INVOICE_DESK_CLIENT_ID and INVOICE_DESK_CLIENT_SECRET (the local application\'s client id and secret).'
  const port = Number(env.PORT ?? 8090)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return `PORT must be a port number, got ${env.PORT}`
  const publicUrl = (env.INVOICE_DESK_PUBLIC_URL || `http://127.0.0.1:${port}`).replace(/\/+$/, '')
  const pollMinutes = Number(env.INVOICE_DESK_POLL_MINUTES ?? 5)
  const scheduleSeconds = Number(env.INVOICE_DESK_SCHEDULE_SECONDS ?? 60)
  if (!(pollMinutes > 0) || !(scheduleSeconds > 0))
    return 'INVOICE_DESK_POLL_MINUTES and INVOICE_DESK_SCHEDULE_SECONDS must be positive numbers.'
  const poll = env.INVOICE_DESK_POLL ?? ''
  if (!['', '0', '1'].includes(poll))
    return `INVOICE_DESK_POLL must be 1 (always poll), 0 (never) or unset (poll while events do not arrive), got ${poll}`
  const graceSeconds = Number(env.INVOICE_DESK_EVENT_GRACE_SECONDS ?? DEFAULT_EVENT_GRACE_MS / 1000)
  const attempts = Number(env.INVOICE_DESK_ANSWER_ATTEMPTS ?? DEFAULT_ANSWER_RETRY.maxAttempts)
  const retrySeconds = Number(env.INVOICE_DESK_ANSWER_RETRY_SECONDS ?? DEFAULT_ANSWER_RETRY.firstDelayMs / 1000)
  if (!(graceSeconds > 0) || !Number.isInteger(attempts) || attempts < 1 || !(retrySeconds >= 0))
    return 'INVOICE_DESK_EVENT_GRACE_SECONDS must be positive, INVOICE_DESK_ANSWER_ATTEMPTS a whole number from 1, INVOICE_DESK_ANSWER_RETRY_SECONDS zero or more.'
  return {
    port,
    publicUrl,
    clientId,
    clientSecret,
    oauthUrl: (env.INVOICE_DESK_OAUTH_URL || 'https://oauth.bitrix.info').replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL || null,
    dataDir: env.INVOICE_DESK_DATA_DIR || 'data',
    poll: poll === '1' ? 'on' : poll === '0' ? 'off' : 'auto',
    eventGraceMs: graceSeconds * 1000,
    answerRetry: { ...DEFAULT_ANSWER_RETRY, maxAttempts: attempts, firstDelayMs: retrySeconds * 1000 },
    pollIntervalMs: pollMinutes * 60_000,
    scheduleTickMs: scheduleSeconds * 1000,
    distDir: env.INVOICE_DESK_DIST_DIR || join(process.cwd(), 'dist'),
    ...(env.INVOICE_DESK_CA_FILE ? { caCertificate: readFileSync(env.INVOICE_DESK_CA_FILE, 'utf8') } : {}),
    locale: env.INVOICE_DESK_LOCALE === 'en' ? 'en' : 'ru',
  }
}
