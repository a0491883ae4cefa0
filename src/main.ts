import type { PlacementSession } from './portal/frame-session.ts'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { placementSessionKey } from './composables/usePlacementSession.ts'
import { localeForPortalLang } from './i18n/messages.ts'
import { loadTranslator } from './i18n/translator.ts'
import { translatorKey } from './i18n/use-i18n.ts'
import { connectToPortal } from './portal/frame-session.ts'
import './assets/css/main.css'

async function start(): Promise<void> {
  let session: PlacementSession | null = null
  try {
    session = await connectToPortal()
  }
  catch (error) {
    console.warn('Invoice Desk: not inside a Bitrix24 frame', error)
  }
  const locale = localeForPortalLang(session?.lang ?? navigator.language.slice(0, 2))
  document.documentElement.lang = locale

  const app = createApp(App, { session })
  app.use(createPinia())
  app.use(b24UiPlugin)
  app.provide(translatorKey, await loadTranslator(locale))
  if (session)
    app.provide(placementSessionKey, session)
  app.mount('#app')
}

void start()
