/**
 * The portal emulator's public surface: what programs outside `test/` (the demo `npm start`, the
 * bench `npm run bench`) may use, reached through the package alias `#emulator` (package.json
 * `imports`). Everything else under `test/` is private to the tests; lint keeps `scripts/` from
 * importing it (README «Code map»).
 */

// Starting and stopping an emulated portal (README of this folder, «In tests»).
export { startEmulator } from './server.ts'
export type { EmulatorOptions, RunningEmulator } from './server.ts'
export type { LimitsMode, PortalPlan, Stats } from './engine.ts'
export type { DataSetName } from './data/generate.ts'
export type { PortalState } from './data/portal-state.ts'

// The `/emulator/*` control API over HTTP(S) (CONTRACT.md).
export { emulatorControl } from '../support/emulator-control.ts'
export type { EmulatorControl, EmulatorStats } from '../support/emulator-control.ts'
export { freePort } from '../service/support/emulator-control.ts'

// The emulated OAuth server's application credentials (`/oauth/token/`).
export { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from './control/oauth-token.ts'

// Operating time (R: settings/performance/limits.md): the emulator's limit and a meter of what the app spent.
export { OPERATING_LIMIT_SECONDS } from './limits/operating-time.ts'
export { meteredWebhook, meterOperatingTime } from '../support/operating-meter.ts'
export type { MeteredPortal, OperatingMeter } from '../support/operating-meter.ts'

// Reference data and the portal's clock.
export { invoiceStage } from './data/reference-data.ts'
export { portalDateOf } from './core/portal-time.ts'

// Fixtures shaped on top of an emulated portal.
export { createDemoJournal } from '../support/demo-journal.ts'
export { nextMondayTen, reshapeForReminders } from '../support/reminder-scale-portal.ts'
export { buildStatement1C } from '../fixtures/bank/statement-builder.ts'
export type { StatementLine } from '../fixtures/bank/statement-builder.ts'
export { encodeWindows1251 } from '../fixtures/bank/windows-1251.ts'

// The host page and the app in Chromium (what the e2e tests and the browser bench drive).
export { launchChromium, serveStatic } from '../support/chromium.ts'
