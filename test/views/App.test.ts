// @vitest-environment happy-dom
import type { PlacementSession } from '../../src/portal/frame-session.ts'
import { describe, expect, it, vi } from 'vitest'
import App from '../../src/App.vue'
import { mountWithKit } from '../components/mount-with-kit.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

function session(placement: string): PlacementSession {
  return { client: createFakePortalClient({}).client, placement, placementOptions: {}, lang: 'ru', isAdmin: false, openPath: vi.fn(), fitHeight: vi.fn(), reloadData: vi.fn(async () => {}), installMode: false, appUrl: 'https://app.example/', appOption: () => undefined, finishInstall: vi.fn() }
}

describe('App', () => {
  it('tells people outside Bitrix24 where the app works', () => {
    const wrapper = mountWithKit(App, { props: { session: null } })
    expect(wrapper.get('[data-testid="notice"]').text()).toContain('Откройте приложение в Битрикс24')
    wrapper.unmount()
  })

  it('names a placement it does not serve yet instead of showing a blank frame', () => {
    const wrapper = mountWithKit(App, { props: { session: session('LEFT_MENU') }, locale: 'en' })
    expect(wrapper.get('[data-testid="notice"]').text()).toContain('does not work in «LEFT_MENU» yet')
    wrapper.unmount()
  })
})
