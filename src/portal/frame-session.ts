import type { B24Frame } from '@bitrix24/b24jssdk'
import type { PortalClient } from './portal-client.ts'
import { initializeB24Frame } from '@bitrix24/b24jssdk'
import { createSdkPortalClient } from './sdk-portal-client.ts'

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
  /** Opens a portal page such as `/crm/type/31/details/7/` in Bitrix24's side slider. */
  readonly openPath: (path: string) => Promise<void>
  /** Asks the portal to fit the frame's height to `node`. */
  readonly fitHeight: (node: HTMLElement) => Promise<void>
}

/** Thrown when the page was opened outside a Bitrix24 frame (no `DOMAIN|PROTOCOL|APP_SID` in window.name). */
export class NotInPortalError extends Error {
  override readonly name = 'NotInPortalError'
}

function sessionOf(frame: B24Frame): PlacementSession {
  const options = frame.placement.options
  return {
    client: createSdkPortalClient(frame),
    placement: frame.placement.placement || 'DEFAULT',
    placementOptions: typeof options === 'object' && options !== null ? options as Record<string, unknown> : {},
    lang: String(frame.getLang() ?? ''),
    isAdmin: frame.auth.isAdmin,
    openPath: async (path) => {
      await frame.slider.openPath(frame.slider.getUrl(path))
    },
    fitHeight: node => frame.parent.resizeWindowAuto(node, 200),
  }
}

/** Connects to the parent Bitrix24 page through the SDK's frame protocol. */
export async function connectToPortal(): Promise<PlacementSession> {
  let frame: B24Frame
  try {
    frame = await initializeB24Frame()
  }
  catch (error) {
    throw new NotInPortalError(error instanceof Error ? error.message : String(error))
  }
  return sessionOf(frame)
}
