import type { Browser, FrameLocator, Page } from 'playwright-core'
import type { EmulatorControl } from '../../support/emulator-control.ts'
import type { StaticServer } from '../../support/chromium.ts'
import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { RunningEmulator } from '../../emulator/server.ts'
import { startEmulator } from '../../emulator/server.ts'
import { launchChromium, serveStatic } from '../../support/chromium.ts'
import { emulatorControl } from '../../support/emulator-control.ts'

/** Where the e2e build of the app lives (`npm run test:e2e` builds it first). */
const APP_DIST = resolve(import.meta.dirname, '../../../dist-e2e')
export const ARTIFACTS = resolve(import.meta.dirname, '../../../.e2e-artifacts')

export interface AppUnderTest {
  readonly emulatorUrl: string
  readonly control: EmulatorControl
  readonly browser: Browser
  readonly app: StaticServer
  /** The emulator itself, to read its live state (`emulator.state`) the way no REST client can. */
  readonly emulator: RunningEmulator
  /** Opens a portal page in a fresh page of the browser. */
  open: (path: string, viewport?: { width: number, height: number }) => Promise<Page>
  /** Closes every page opened so far, so that none of them still talks to the portal (before counting requests). */
  closePages: () => Promise<void>
  close: () => Promise<void>
}

/** The built app served like a static host, the portal emulator embedding it, and Chromium. */
export async function startAppUnderTest(data: 'demo' | 'empty' | `large:${number}` = 'demo'): Promise<AppUnderTest> {
  if (!existsSync(resolve(APP_DIST, 'index.html')))
    throw new Error(`No app build in ${APP_DIST}: run "npm run test:e2e", which builds it first`)
  mkdirSync(ARTIFACTS, { recursive: true })
  const app = await serveStatic(APP_DIST)
  const emulator = await startEmulator({ port: 0, data, limits: 'cloud', appUrl: app.url })
  const browser = await launchChromium()
  const pages: Page[] = []
  return {
    emulatorUrl: emulator.url,
    control: emulatorControl(emulator.url),
    browser,
    app,
    emulator,
    async open(path, viewport = { width: 1280, height: 860 }) {
      const page = await browser.newPage({ viewport })
      pages.push(page)
      await page.goto(new URL(path, emulator.url).toString())
      return page
    },
    async closePages() {
      await Promise.allSettled(pages.splice(0).map(p => p.close()))
    },
    async close() {
      await Promise.allSettled(pages.map(p => p.close()))
      await browser.close()
      await emulator.close()
      await app.close()
    },
  }
}

/** The app's iframe inside a portal page. */
export function appFrame(page: Page): FrameLocator {
  return page.frameLocator('[data-testid="app-frame"]')
}
