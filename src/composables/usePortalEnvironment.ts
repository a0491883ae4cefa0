import type { Locale } from '../domain/format.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PlacementSession } from '../portal/frame-session.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { useI18n } from '../i18n/use-i18n.ts'
import { usePortalClockStore } from '../stores/portal-clock.ts'
import { usePlacementSession } from './usePlacementSession.ts'

/** What a screen's actions need of the portal and the device, read once per screen. */
export interface PortalEnvironment {
  readonly session: PlacementSession
  readonly client: PortalClient
  /** Whether the user is a portal administrator (app triggers, processes and the journal are theirs). */
  readonly isAdmin: boolean
  /** The language of the screen's words and of what it writes (the journal, e-mails). */
  readonly locale: Locale
  /**
   * The portal's clock now (flows take time as a parameter): the device's clock moved by the offset
   * measured when this frame last read the portal's time (`usePortalClockStore`); the device's own
   * clock before any reading.
   */
  readonly now: () => Date
  /** The browser's time zone: the fallback where the portal names none for the user. */
  readonly timeZone: () => string
  /** Waits `ms` milliseconds (the issue chain's PDF polls). */
  readonly sleep: (ms: number) => Promise<void>
  /**
   * The stored settings (the frame's app option, no REST call); their module loads on the first
   * call, so a screen's first paint does not wait for the defaults and migrations.
   */
  readonly settings: () => Promise<InvoiceDeskSettings>
  /** The issue chain's environment for a click now: clock, zones, language, admin flag, pause. */
  readonly issueEnvironment: () => { now: Date, timeZone: string, locale: Locale, isAdmin: boolean, sleep: (ms: number) => Promise<void> }
}

/**
 * The portal environment every view needs (settings, clock, time zone, locale, admin flag), from
 * the placement session and the translator the app root provides. Call it in `setup`.
 */
export function usePortalEnvironment(): PortalEnvironment {
  const session = usePlacementSession()
  const { locale } = useI18n()
  const portalClock = usePortalClockStore()
  const now = (): Date => new Date(portalClock.nowMs())
  const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone
  const sleep = (ms: number): Promise<void> => new Promise<void>(resolve => setTimeout(resolve, ms))
  const settings = async (): Promise<InvoiceDeskSettings> => (await import('./session-settings.ts')).readSessionSettings(session)
  return {
    session,
    client: session.client,
    isAdmin: session.isAdmin,
    locale,
    now,
    timeZone,
    sleep,
    settings,
    issueEnvironment: () => ({ now: now(), timeZone: timeZone(), locale, isAdmin: session.isAdmin, sleep }),
  }
}
