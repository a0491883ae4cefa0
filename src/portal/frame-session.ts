import type { B24Frame } from '@bitrix24/b24jssdk'
import type { PortalClient } from './portal-client.ts'
import { initializeB24Frame } from '@bitrix24/b24jssdk'
import { createSdkPortalClient, SAFE_RESTRICTION_PARAMS } from './sdk-portal-client.ts'

/** What the app knows about the placement Bitrix24 opened it in. */
export interface PlacementSession {
  readonly client: PortalClient
  /** The placement code, e.g. `CRM_DEAL_DETAIL_TAB`, or `DEFAULT` for the app's own page. */
  readonly placement: string
  /** `PLACEMENT_OPTIONS`, already parsed: `{ ID: '42' }` in a deal tab. */
  readonly placementOptions: Readonly<Record<string, unknown>>
  /** The portal's interface language code (`ru`, `en`, `de` …). */
  readonly lang: string
  readonly isAdmin: boolean
  /** The portal's member id (the frame's auth data): what browser-kept data is keyed by; absent outside a frame. */
  readonly memberId?: string
  /** Opens a portal page such as `/crm/type/31/details/7/` in Bitrix24's side slider. */
  readonly openPath: (path: string) => Promise<void>
  /** Asks the portal to refresh the CRM card or list around the frame (`reloadData`); only the UI. */
  readonly reloadData: () => Promise<void>
  /** Asks the portal to fit the frame's height to `node`. */
  readonly fitHeight: (node: HTMLElement) => Promise<void>
  /** True while the app is not installed yet (`INSTALL` in the init data): the first open by an admin installs it. */
  readonly installMode: boolean
  /** The app's own URL without query, which placements are bound to (Bitrix24 POSTs to it). */
  readonly appUrl: string
  /** One app option from the init data's `APP_OPTIONS` (no REST call); undefined when not set. */
  readonly appOption: (name: string) => unknown
  /** Tells Bitrix24 the installation is finished; the portal reloads the page and may never answer. */
  readonly finishInstall: () => Promise<void>
}

/** Thrown when the page was opened outside a Bitrix24 frame (no `DOMAIN|PROTOCOL|APP_SID` in window.name). */
export class NotInPortalError extends Error {
  override readonly name = 'NotInPortalError'
}

function memberIdOf(frame: B24Frame): string | undefined {
  const auth = frame.auth.getAuthData()
  return auth && auth.member_id ? auth.member_id : undefined
}

function sessionOf(frame: B24Frame): PlacementSession {
  const options = frame.placement.options
  return {
    client: createSdkPortalClient(frame),
    placement: frame.placement.placement || 'DEFAULT',
    placementOptions: typeof options === 'object' && options !== null ? options as Record<string, unknown> : {},
    lang: String(frame.getLang() ?? ''),
    isAdmin: frame.auth.isAdmin,
    memberId: memberIdOf(frame),
    openPath: async (path) => {
      await frame.slider.openPath(frame.slider.getUrl(path))
    },
    fitHeight: node => frame.parent.resizeWindowAuto(node, 200),
    reloadData: async () => {
      await frame.placement.call('reloadData', {})
    },
    installMode: frame.isInstallMode,
    appUrl: `${window.location.origin}${window.location.pathname}`,
    appOption: (name) => {
      // The SDK throws for an option that is not set (or falsy); that just means "nothing stored".
      try {
        return frame.options.appGet(name) as unknown
      }
      catch {
        return undefined
      }
    },
    finishInstall: async () => {
      await frame.installFinish()
    },
  }
}

/** Connects to the parent Bitrix24 page through the SDK's frame protocol. */
export async function connectToPortal(): Promise<PlacementSession> {
  let frame: B24Frame
  try {
    frame = await initializeB24Frame({ restrictionParams: SAFE_RESTRICTION_PARAMS })
  }
  catch (error) {
    throw new NotInPortalError(error instanceof Error ? error.message : String(error))
  }
  return sessionOf(frame)
}
