import { defineStore } from 'pinia'
import { ref } from 'vue'

/**
 * The portal's clock as this frame last read it (`server.time`, R: api-reference/common/system/server-time.md):
 * the offset between the portal's time and the device's clock, measured where a screen's own request
 * already read it (the deal tab's batch, the dashboard's check). No request of its own.
 */
export const usePortalClockStore = defineStore('portal-clock', () => {
  /** Portal minus device, in ms; null until the portal's time was read in this frame. */
  const offsetMs = ref<number | null>(null)

  /** Notes the portal's instant `portalMs` (from `server.time`) as read at the device's `deviceAtMs`. */
  function note(portalMs: number, deviceAtMs: number): void {
    if (Number.isFinite(portalMs) && Number.isFinite(deviceAtMs))
      offsetMs.value = portalMs - deviceAtMs
  }

  /** The portal's "now" in ms: the device's clock moved by the last offset (the device's own before any reading). */
  function nowMs(): number {
    return Date.now() + (offsetMs.value ?? 0)
  }

  return { offsetMs, note, nowMs }
})
