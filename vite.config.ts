import type { Connect, Plugin } from 'vite'
import bitrix24UIPluginVite from '@bitrix24/b24ui-nuxt/vite'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

/**
 * Bitrix24 opens every placement with an HTTP POST (form fields AUTH_ID, PLACEMENT, ...).
 * The SDK reads only `window.name`, so the body is ignored; the page just has to be served.
 */
function answerPostWithPage(): Plugin {
  const asGet: Connect.NextHandleFunction = (req, _res, next) => {
    if (req.method === 'POST' && !req.url?.startsWith('/@'))
      req.method = 'GET'
    next()
  }
  return {
    name: 'invoice-desk:post-as-get',
    configureServer(server) { server.middlewares.use(asGet) },
    configurePreviewServer(server) { server.middlewares.use(asGet) },
  }
}

export default defineConfig({
  base: './',
  plugins: [
    vue(),
    bitrix24UIPluginVite({
      router: false,
      colorMode: false,
      prose: false,
      // The kit's default `mdc: true` registers every prose component (and the motion library) globally, in every placement's first chunk.
      mdc: false,
      components: { dirs: [] },
    }),
    answerPostWithPage(),
  ],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  // The manifest lets `npm run bench` add up what each placement loads.
  build: { target: 'es2022', chunkSizeWarningLimit: 1200, manifest: true },
})
