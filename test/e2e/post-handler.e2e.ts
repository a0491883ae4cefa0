import type { PreviewServer, ViteDevServer } from 'vite'
import { afterEach, describe, expect, it } from 'vitest'
import { createServer, preview } from 'vite'

/** Bitrix24 opens every placement with an HTTP POST, so both servers must answer POST with the page. */
describe('the app\'s servers answer POST with the page', () => {
  let server: PreviewServer | ViteDevServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  async function postForm(url: string): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'AUTH_ID=token&PLACEMENT=CRM_DEAL_DETAIL_TAB&PLACEMENT_OPTIONS=%7B%22ID%22%3A%2242%22%7D',
    })
  }

  it('vite preview (the built app)', async () => {
    const previewServer = await preview({ build: { outDir: 'dist-e2e' }, preview: { port: 0, strictPort: false } })
    server = previewServer
    const response = await postForm(previewServer.resolvedUrls!.local[0]!)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<div id="app"')
  })

  it('the dev server', async () => {
    const devServer = await createServer({ server: { port: 0, strictPort: false }, logLevel: 'silent' })
    server = devServer
    await devServer.listen()
    const response = await postForm(devServer.resolvedUrls!.local[0]!)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<div id="app"')
  })
})
