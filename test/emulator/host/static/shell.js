// @ts-check
// The Bitrix24-like portal shell: left menu, top bar, CRM pages, side sliders, pickers, panels.
// Plain ES module, no build step. Renders the page described by <script id="host-config">.
import { FrameHost, activeFrames, logProtocol, onProtocolLog, protocolLog } from './frame-host.js'
import { pageRobots } from './robots-page.js'

/**
 * The page the server rendered (`PageConfig` in ../index.ts).
 * @typedef {{ page: string, id?: string, path: string, userId: number, lang: 'ru' | 'en', tab: string | null,
 *   iframe: boolean, origin: string, appUrl: string, appOrigin: string }} PageConfig
 * A portal user as `GET /emulator/info` lists them.
 * @typedef {{ id: number, name?: string, lastName?: string, email?: string, role: string, isAdmin?: boolean }} PortalUser
 * A placement binding as `GET /emulator/placements` lists them.
 * @typedef {{ placement: string, handler?: string, title?: string, langAll?: Record<string, { TITLE?: string } | undefined> }} PlacementBinding
 * `GET /emulator/info`, the parts the shell reads.
 * @typedef {{ domain?: string, timeZone?: string, installed?: boolean, users?: PortalUser[] }} EmulatorInfo
 * A failed control API call: the message, and the HTTP status when there was an answer.
 * @typedef {Error & { status?: number }} HttpError
 * An open side slider.
 * @typedef {{ body: HTMLElement, onDestroy: (() => void) | null, closed: boolean, close: () => void }} Slider
 */

/** @type {PageConfig} */
const config = JSON.parse(/** @type {string} */ (/** @type {HTMLElement} */ (document.getElementById('host-config')).textContent))
const lang = config.lang
const userId = config.userId

const I18N = {
  ru: {
    portal: 'Invoice Desk — демо-портал', search: 'поиск сотрудников, документов…', stream: 'Новости', tasks: 'Задачи и проекты',
    crm: 'CRM', analytics: 'Аналитика CRM', market: 'Маркет', apps: 'Приложения', deals: 'Сделки', invoices: 'Счета',
    contacts: 'Контакты', companies: 'Компании', deal: 'Сделка', title: 'Название', stage: 'Стадия', sum: 'Сумма',
    client: 'Клиент', assigned: 'Ответственный', general: 'Общие', products: 'Товары', history: 'История',
    about: 'О сделке', open: 'Открыть', edit: 'Изменить', market24: 'Битрикс24 Маркет', notFound: 'Элемент не найден или доступ запрещён',
    noProducts: 'Товаров нет', created: 'Сделка создана', panels: 'Журнал портала', refresh: 'Обновить', close: 'Закрыть',
    protocol: 'Протокол', outbox: 'Почта', notifications: 'Уведомления', timeline: 'Таймлайн', workflows: 'Бизнес-процессы', approve: 'Согласовать',
    triggers: 'Триггеры', placements: 'Встройки', empty: 'Пусто', user: 'Пользователь', language: 'Язык',
    robots: 'Роботы', events: 'События', moveTo: 'Перевести на стадию', stageMoved: 'Сделка переведена на стадию', robotRun: 'Робот',
    robotWaiting: 'ждёт ответа приложения', robotAnswered: 'приложение ответило', robotCompleted: 'выполнен', robotFailed: 'не доставлен приложению',
    notInstalled: 'Приложение ещё не установлено до конца. Обратитесь к администратору портала.',
    reports: 'Отчёты', salesSummary: 'Сводный отчёт по продажам', funnel: 'Воронка продаж', managers: 'Эффективность менеджеров',
    shown: 'Показано', of: 'из', select: 'Выбрать', cancel: 'Отмена', pickUser: 'Выберите сотрудника', pickCrm: 'Выберите элемент CRM',
    invoice: 'Счёт', invoicesOfDeal: 'Счета сделки', appPage: 'Приложение', admin: 'администратор', manager: 'менеджер', accountant: 'бухгалтер',
    pages: 'Страницы',
  },
  en: {
    portal: 'Invoice Desk — demo portal', search: 'find people, documents…', stream: 'Feed', tasks: 'Tasks and projects',
    crm: 'CRM', analytics: 'CRM Analytics', market: 'Market', apps: 'Applications', deals: 'Deals', invoices: 'Invoices',
    contacts: 'Contacts', companies: 'Companies', deal: 'Deal', title: 'Name', stage: 'Stage', sum: 'Amount',
    client: 'Client', assigned: 'Responsible', general: 'General', products: 'Products', history: 'History',
    about: 'About deal', open: 'Open', edit: 'Edit', market24: 'Bitrix24 Market', notFound: 'Item not found or access denied',
    noProducts: 'No products', created: 'Deal created', panels: 'Portal journal', refresh: 'Refresh', close: 'Close',
    protocol: 'Protocol', outbox: 'Outbox', notifications: 'Notifications', timeline: 'Timeline', workflows: 'Workflows', approve: 'Approve',
    triggers: 'Triggers', placements: 'Placements', empty: 'Empty', user: 'User', language: 'Language',
    robots: 'Automation rules', events: 'Events', moveTo: 'Move to the stage', stageMoved: 'The deal is moved to the stage', robotRun: 'Rule',
    robotWaiting: 'waiting for the application', robotAnswered: 'the application answered', robotCompleted: 'done', robotFailed: 'not delivered to the application',
    notInstalled: 'The application is not fully installed yet. Please contact your Bitrix24 administrator.',
    reports: 'Reports', salesSummary: 'Sales summary', funnel: 'Sales funnel', managers: 'Manager performance',
    shown: 'Shown', of: 'of', select: 'Select', cancel: 'Cancel', pickUser: 'Select an employee', pickCrm: 'Select a CRM item',
    invoice: 'Invoice', invoicesOfDeal: 'Deal invoices', appPage: 'Application', admin: 'administrator', manager: 'manager', accountant: 'accountant',
    pages: 'Pages',
  },
}
const t = key => I18N[lang][key] ?? I18N.ru[key] ?? key

/**
 * Tiny DOM builder: h('div.cls', { attrs }, ...children). `testid` becomes data-testid.
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attrs]
 * @param {...unknown} children nodes, text, or nested arrays of them; null, undefined and false are skipped
 * @returns {HTMLElement}
 */
function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.')
  const el = document.createElement(name || 'div')
  if (classes.length) el.className = classes.join(' ')
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'testid') el.dataset.testid = String(value)
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), /** @type {EventListener} */ (value))
    else if (key === 'dataset') Object.assign(el.dataset, value)
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value)
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue
    el.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
  return el
}

/**
 * GET a control API path as JSON (shapes as CONTRACT.md gives them); a failure is an `HttpError`.
 * @param {string} path
 * @returns {Promise<any>}
 */
async function getJson(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } })
  if (!res.ok) {
    const error = /** @type {HttpError} */ (new Error(`${path}: HTTP ${res.status}`))
    error.status = res.status
    throw error
  }
  return res.json()
}

/**
 * A portal URL keeping the current user and language.
 * @param {string} path
 * @param {Record<string, string | number | undefined>} [extra]
 */
function portalUrl(path, extra = {}) {
  const url = new URL(path, window.location.origin)
  url.searchParams.set('user', String(userId))
  url.searchParams.set('lang', lang)
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, String(v))
  return url.pathname + url.search
}

function money(amount, currency) {
  const value = Number(amount) || 0
  try {
    return new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'ru-RU', { style: 'currency', currency: currency || 'RUB', maximumFractionDigits: 2 }).format(value)
  }
  catch {
    return `${value} ${currency ?? ''}`
  }
}

const STAGES = [
  { code: 'NEW', ru: 'Новая', en: 'New', color: '#39a8ef' },
  { code: 'PREPARATION', ru: 'Подготовка документов', en: 'Preparing documents', color: '#2fc6f6' },
  { code: 'PREPAYMENT_INVOICE', ru: 'Счёт на предоплату', en: 'Prepayment invoice', color: '#55d0e0' },
  { code: 'EXECUTING', ru: 'В работе', en: 'In progress', color: '#47e4c2' },
  { code: 'FINAL_INVOICE', ru: 'Финальный счёт', en: 'Final invoice', color: '#ffa900' },
  { code: 'WON', ru: 'Сделка успешна', en: 'Deal won', color: '#7bd500' },
]
function stageCode(stageId) {
  const id = String(stageId ?? '')
  return id.includes(':') ? id.slice(id.lastIndexOf(':') + 1) : id
}
function stageColor(stageId) {
  const code = stageCode(stageId)
  if (/LOSE|FAIL|APOLOGY|^D$/.test(code)) return '#ff5752'
  if (/WON|SUCCESS|^P$/.test(code)) return '#7bd500'
  if (code === 'N') return '#39a8ef'
  if (code === 'S') return '#2fc6f6'
  return STAGES.find(s => s.code === code)?.color ?? '#a8adb4'
}

// ---------------------------------------------------------------------------------------------
// Portal state
/**
 * @type {{ info: EmulatorInfo | null, placements: PlacementBinding[], users: PortalUser[], installed: boolean, reloadCount: number,
 *   reloadListeners: Array<(frame?: unknown) => unknown> }}
 */
const state = { info: null, placements: [], users: [], installed: true, reloadCount: 0, reloadListeners: [] }

function currentUser() {
  return state.users.find(u => Number(u.id) === userId) ?? null
}
function userLabel(u) {
  return [u.name, u.lastName].filter(Boolean).join(' ')
}
function roleLabel(role) {
  return t(role) ?? role
}

/** Bound placements (hidden until the installation is finished, as in Bitrix24). */
function bindings(code) {
  if (!state.installed) return []
  return state.placements.filter(p => String(p.placement).toUpperCase() === code)
}
function bindingTitle(b) {
  const en = b.langAll?.en ?? b.langAll?.EN
  if (lang === 'en' && en?.TITLE) return en.TITLE
  const ru = b.langAll?.ru ?? b.langAll?.RU
  if (lang === 'ru' && ru?.TITLE) return ru.TITLE
  return b.title || 'Invoice Desk'
}
/** The handler the portal POSTs to: the binding's handler when it lives on the app's origin, else the app URL. */
function handlerUrl(b) {
  try {
    if (b?.handler && new URL(b.handler).origin === config.appOrigin) return b.handler
  }
  catch {
    // relative or invalid handler: fall back to the app URL
  }
  return config.appUrl
}

const hostWindow = /** @type {Window & { __host?: object }} */ (window)
hostWindow.__host = {
  config,
  get log() { return protocolLog },
  get frames() { return activeFrames().map(f => ({ appSid: f.appSid, placement: f.placement, options: f.placementOptions })) },
  get reloadCount() { return state.reloadCount },
  state,
}

// ---------------------------------------------------------------------------------------------
// Shell services used by the frame protocol
/** @type {HTMLElement | null} */
let pageTitleEl = null
const toastBox = h('div.b24-toasts', { testid: 'toasts' })

const shell = {
  setTitle(title) {
    if (pageTitleEl) pageTitleEl.textContent = title
  },
  async reloadData(frame) {
    state.reloadCount += 1
    document.body.dataset.reloadCount = String(state.reloadCount)
    for (const listener of state.reloadListeners) await listener(frame)
  },
  toast(text) {
    const el = h('div.b24-toast', { testid: 'toast' }, text)
    toastBox.append(el)
    setTimeout(() => el.remove(), 4000)
  },
  /**
   * @param {{ placement: string, placementOptions?: object, binding?: PlacementBinding, title?: string,
   *   settings?: { bx24_title?: string, bx24_label?: { text?: string }, bx24_width?: number | string } }} options
   * @returns {Promise<void>} resolves when the slider is closed
   */
  openAppSlider({ placement, placementOptions, settings = {}, binding, title }) {
    return new Promise((resolve) => {
      const slider = openSlider({
        title: settings.bx24_title ?? title ?? (binding ? bindingTitle(binding) : 'Invoice Desk'),
        label: settings.bx24_label?.text,
        width: settings.bx24_width,
        onClose: resolve,
        testid: 'app-slider',
      })
      const box = h('div.b24-app-box')
      slider.body.append(box)
      const host = new FrameHost({
        container: box, placement, placementOptions, userId, lang, appUrl: binding ? handlerUrl(binding) : config.appUrl, shell, slider,
        height: Math.max(400, window.innerHeight - 120),
      })
      slider.onDestroy = () => host.destroy()
      host.mount()
    })
  },
  /** @param {string} rawPath @returns {Promise<void>} resolves when the slider is closed */
  openPathSlider(rawPath) {
    return new Promise((resolve) => {
      const url = new URL(rawPath, window.location.origin)
      url.searchParams.set('user', String(userId))
      url.searchParams.set('lang', lang)
      url.searchParams.set('IFRAME', 'Y')
      const slider = openSlider({ title: '', onClose: resolve, testid: 'path-slider' })
      slider.body.append(h('iframe.b24-path-frame', { src: url.pathname + url.search, testid: 'path-frame' }))
    })
  },
  pickUsers({ multiple }) {
    const me = currentUser()
    const items = state.users.map(u => ({
      key: String(u.id),
      title: userLabel(u),
      desc: roleLabel(u.role),
      value: {
        id: String(u.id),
        name: userLabel(u),
        photo: '',
        position: roleLabel(u.role),
        url: `/company/personal/user/${u.id}/`,
        sub: Boolean(me?.isAdmin && !u.isAdmin),
        sup: Boolean(me && !me.isAdmin && u.isAdmin),
      },
    }))
    return openPicker({ title: t('pickUser'), items, multiple })
  },
  async pickCrm({ entityType, multiple }) {
    const types = Array.isArray(entityType) ? entityType : [entityType]
    const items = []
    const prefixes = { deal: 'D', contact: 'C', company: 'CO', lead: 'L', quote: 'Q' }
    for (const type of types) {
      if (type === 'deal') {
        const deals = await getJson(`/emulator/deals?userId=${userId}`).catch(() => [])
        for (const d of deals.slice(0, 200)) {
          items.push({
            key: `D_${d.id}`, group: t('deals'), title: d.title, desc: `${d.stageName ?? ''} · ${money(d.opportunity, d.currencyId)}`, type,
            value: { id: `D_${d.id}`, type: 'deal', place: 'deal', title: d.title, desc: d.clientName ?? '', url: `/crm/deal/details/${d.id}/` },
          })
        }
      }
      else {
        // The control API has no list of companies/contacts yet (see report); ask for it when available.
        const list = await getJson(`/emulator/entities?type=${encodeURIComponent(type)}&userId=${userId}`).catch(() => [])
        for (const e of list) {
          const id = `${prefixes[type] ?? type.toUpperCase()}_${e.id}`
          items.push({
            key: id, group: type, title: e.title, desc: e.desc ?? '', type,
            value: { id, type, place: type, title: e.title, desc: e.desc ?? '', url: `/crm/${type}/details/${e.id}/`, ...(type === 'company' || type === 'contact' ? { image: '' } : {}) },
          })
        }
      }
    }
    const picked = await openPicker({ title: t('pickCrm'), items, multiple })
    if (picked === null) return null
    // The real parent answers each bucket as an object keyed 0..n (the SDK turns them into arrays).
    const reply = {}
    for (const value of picked) {
      const bucket = (reply[value.type] ??= {})
      bucket[Object.keys(bucket).length] = value
    }
    return reply
  },
}

// ---------------------------------------------------------------------------------------------
// Side slider (BX.SidePanel look): overlay + panel from the right with a close label on its edge.
/** @type {Slider[]} */
const sliderStack = []
/**
 * @param {{ title?: string, label?: string, width?: number | string, onClose?: () => void, testid?: string }} options
 * @returns {Slider}
 */
function openSlider({ title, label, width, onClose, testid }) {
  const depth = sliderStack.length
  const panel = h('div.b24-slider-panel', { style: { width: width ? `${Number(width)}px` : `calc(100vw - ${Math.min(220 + depth * 40, 500)}px)` } })
  const overlay = h('div.b24-slider-overlay', { testid: testid ?? 'slider' }, panel)
  /** @type {Slider} */
  const slider = {
    body: h('div.b24-slider-body'),
    onDestroy: null,
    closed: false,
    close() {
      if (slider.closed) return
      slider.closed = true
      sliderStack.splice(sliderStack.indexOf(slider), 1)
      slider.onDestroy?.()
      overlay.remove()
      onClose?.()
    },
  }
  const closeBtn = h('button.b24-slider-close', { 'testid': 'slider-close', 'title': t('close'), 'onclick': () => slider.close(), 'aria-label': t('close') },
    h('span.b24-slider-close-x', null, '×'), label ? h('span.b24-slider-label', null, label) : null)
  // Without a title there is no head (append(null) would show the text "null").
  panel.append(closeBtn, ...(title ? [h('div.b24-slider-head', null, h('h2.b24-slider-title', { testid: 'slider-title' }, title))] : []), slider.body)
  overlay.addEventListener('click', (e) => {
    if (e.target === overlay) slider.close()
  })
  document.body.append(overlay)
  sliderStack.push(slider)
  return slider
}
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') sliderStack.at(-1)?.close()
})

/** A selection dialog (users, CRM items). Resolves with the picked values, or null when cancelled. */
function openPicker({ title, items, multiple }) {
  return new Promise((resolve) => {
    const chosen = new Set()
    const done = (value) => {
      overlay.remove()
      resolve(value)
    }
    const list = h('div.b24-picker-list')
    let group = null
    for (const item of items) {
      if (item.group && item.group !== group) {
        group = item.group
        list.append(h('div.b24-picker-group', null, group))
      }
      const row = h('button.b24-picker-item', {
        testid: 'picker-item',
        dataset: { id: item.key },
        onclick: () => {
          if (!multiple) {
            done([item.value])
            return
          }
          if (chosen.has(item)) chosen.delete(item)
          else chosen.add(item)
          row.classList.toggle('is-selected', chosen.has(item))
        },
      }, h('span.b24-avatar', null, (item.title ?? '?').slice(0, 1)), h('span.b24-picker-text', null, h('b', null, item.title), h('small', null, item.desc)))
      list.append(row)
    }
    if (!items.length) list.append(h('div.b24-empty', null, t('empty')))
    const dialog = h('div.b24-picker', { testid: 'picker' },
      h('div.b24-picker-head', null, title),
      list,
      h('div.b24-picker-foot', null,
        multiple ? h('button.b24-btn.b24-btn-primary', { testid: 'picker-ok', onclick: () => done([...chosen].map(i => i.value)) }, t('select')) : null,
        h('button.b24-btn.b24-btn-light', { testid: 'picker-cancel', onclick: () => done(null) }, t('cancel'))))
    const overlay = h('div.b24-modal-overlay', null, dialog)
    document.body.append(overlay)
  })
}

// ---------------------------------------------------------------------------------------------
// Chrome: left menu, top bar, clock, switchers, panels drawer
function leftMenu() {
  const item = (icon, text, href, active, testid) => h('a.b24-menu-item' + (active ? '.is-active' : ''), { href: portalUrl(href), testid }, h('span.b24-menu-icon', null, icon), h('span', null, text))
  const p = config.page
  const items = [
    item('◎', t('stream'), '/stream/', false),
    item('✓', t('tasks'), '/tasks/', false),
    item('◆', t('crm'), '/crm/deal/list/', p === 'deal-list' || p === 'deal-card' || p === 'invoice-card' || p === 'robots', 'menu-crm'),
    item('▤', t('analytics'), '/crm/analytics/', p === 'analytics', 'menu-analytics'),
    item('▣', t('market'), '/marketplace/', false),
    item('◈', 'Invoice Desk', '/marketplace/app/', p === 'app', 'menu-app'),
  ]
  for (const b of bindings('LEFT_MENU')) items.push(item('✦', bindingTitle(b), '/marketplace/app/', false, 'menu-left-app'))
  return h('nav.b24-left-menu', { testid: 'left-menu' },
    h('div.b24-logo', null, h('span.b24-logo-b', null, 'Битрикс'), h('span.b24-logo-24', null, '24')),
    items,
    h('a.b24-menu-item.b24-menu-panels', { href: portalUrl('/emulator-panels/'), testid: 'menu-panels' }, h('span.b24-menu-icon', null, '☰'), h('span', null, t('panels'))))
}

function topBar() {
  const userSelect = /** @type {HTMLSelectElement} */ (h('select.b24-switch', { 'testid': 'user-switcher', 'aria-label': t('user') },
    state.users.map(u => h('option', { value: u.id, selected: Number(u.id) === userId }, `${userLabel(u)} — ${roleLabel(u.role)}`))))
  userSelect.addEventListener('change', () => {
    const url = new URL(window.location.href)
    url.searchParams.set('user', userSelect.value)
    window.location.href = url.toString()
  })
  const langSelect = /** @type {HTMLSelectElement} */ (h('select.b24-switch', { 'testid': 'lang-switcher', 'aria-label': t('language') },
    h('option', { value: 'ru', selected: lang === 'ru' }, 'RU'), h('option', { value: 'en', selected: lang === 'en' }, 'EN')))
  langSelect.addEventListener('change', () => {
    const url = new URL(window.location.href)
    url.searchParams.set('lang', langSelect.value)
    window.location.href = url.toString()
  })
  const me = currentUser()
  return h('header.b24-top-bar', { testid: 'top-bar' },
    h('div.b24-portal-name', { testid: 'portal-name' }, t('portal'), h('small', null, state.info?.domain ?? window.location.host)),
    h('input.b24-search', { placeholder: t('search'), type: 'search' }),
    h('div.b24-top-right', null,
      h('span.b24-clock', { testid: 'clock' }, '--:--'),
      langSelect,
      h('span.b24-top-user', null, h('span.b24-avatar', null, me ? userLabel(me).slice(0, 1) : '?'), userSelect),
      h('button.b24-btn.b24-btn-light.b24-btn-sm', { testid: 'panels-toggle', onclick: () => panels.toggle() }, t('panels'))))
}

let clockOffset = 0
async function syncClock() {
  try {
    const res = await getJson('/emulator/clock')
    clockOffset = new Date(res.now).getTime() - Date.now()
  }
  catch {
    // keep the last offset
  }
}
function tickClock() {
  const el = /** @type {HTMLElement | null} */ (document.querySelector('[data-testid="clock"]'))
  if (!el) return
  const now = new Date(Date.now() + clockOffset)
  el.textContent = now.toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: state.info?.timeZone || undefined })
  el.title = now.toISOString()
  el.dataset.now = now.toISOString()
}

const PANEL_KINDS = ['protocol', 'outbox', 'notifications', 'tasks', 'timeline', 'workflows', 'triggers', 'events', 'robots', 'placements']
const panels = {
  el: /** @type {HTMLElement | null} */ (null),
  open: false,
  active: 'protocol',
  timer: /** @type {ReturnType<typeof setInterval> | undefined} */ (undefined),
  /** @type {Record<string, HTMLElement>} */
  lists: {},
  build(alwaysOpen) {
    const tabs = h('div.b24-panel-tabs')
    const bodies = h('div.b24-panel-bodies')
    for (const kind of PANEL_KINDS) {
      tabs.append(h('button.b24-panel-tab' + (kind === this.active ? '.is-active' : ''), { testid: `panel-tab-${kind}`, dataset: { kind }, onclick: () => this.select(kind) }, kind === 'tasks' ? (lang === 'en' ? 'Tasks' : 'Задачи') : t(kind)))
      const list = h('div.b24-panel-list', { testid: kind === 'protocol' ? 'protocol-log' : `panel-list-${kind}`, dataset: { kind }, hidden: kind !== this.active })
      this.lists[kind] = list
      bodies.append(list)
    }
    this.el = h('section.b24-panels' + (alwaysOpen ? '.is-page' : ''), { testid: 'panels', hidden: !alwaysOpen },
      h('div.b24-panels-head', null, h('b', null, t('panels')), tabs,
        h('button.b24-btn.b24-btn-light.b24-btn-sm', { testid: 'panels-refresh', onclick: () => this.refresh() }, t('refresh')),
        alwaysOpen ? null : h('button.b24-btn.b24-btn-light.b24-btn-sm', { onclick: () => this.toggle(false) }, '×')),
      bodies)
    this.open = alwaysOpen
    for (const entry of protocolLog) this.addProtocol(entry)
    onProtocolLog(entry => this.addProtocol(entry))
    if (alwaysOpen) this.startTimer()
    return /** @type {HTMLElement} */ (this.el)
  },
  toggle(force) {
    if (this.el?.classList.contains('is-page')) return
    this.open = force ?? !this.open
    const el = /** @type {HTMLElement} */ (this.el)
    el.hidden = !this.open
    document.body.classList.toggle('has-panels', this.open)
    if (this.open) this.startTimer()
    else clearInterval(this.timer)
  },
  startTimer() {
    this.refresh()
    clearInterval(this.timer)
    this.timer = setInterval(() => this.refresh(), 3000)
  },
  select(kind) {
    this.active = kind
    for (const [k, list] of Object.entries(this.lists)) list.hidden = k !== kind
    for (const tab of /** @type {NodeListOf<HTMLElement>} */ (/** @type {HTMLElement} */ (this.el).querySelectorAll('.b24-panel-tab'))) tab.classList.toggle('is-active', tab.dataset.kind === kind)
    this.refresh()
  },
  addProtocol(entry) {
    const list = this.lists.protocol
    if (!list) return
    const row = h('div.b24-log-row.is-' + entry.status, {
      testid: 'protocol-entry',
      dataset: { command: entry.command, status: entry.status, dir: entry.dir, placement: entry.placement, appSid: entry.appSid },
    }, h('time', null, entry.at.slice(11, 23)), h('span.b24-log-dir', null, entry.dir === 'in' ? '→' : entry.dir === 'out' ? '←' : '·'),
    h('b', null, entry.command || '—'), h('span.b24-log-status', null, entry.status), h('span.b24-log-placement', null, entry.placement),
    h('code', null, entry.detail))
    list.prepend(row)
    while (list.children.length > 200) /** @type {ChildNode} */ (list.lastChild).remove()
  },
  /** Grants a waiting business process's approval (control API), then shows the journal again. */
  async approve(workflowId) {
    await fetch('/emulator/bizproc/approve', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ workflowId, userId }) })
    await this.refresh()
  },
  async refresh() {
    const kind = this.active
    if (kind === 'protocol') return
    const list = this.lists[kind]
    try {
      const rows = kind === 'placements' ? await getJson('/emulator/placements') : await getJson(`/emulator/journal?kind=${kind}`)
      list.replaceChildren(...(rows.length ? [] : [h('div.b24-empty', null, t('empty'))]))
      // A workflow waits while its start entry is the newest about it (rows come newest first).
      const newestAbout = new Map()
      for (const row of rows) if (row.details?.workflowId && !newestAbout.has(row.details.workflowId)) newestAbout.set(row.details.workflowId, row.id)
      for (const row of rows) {
        if (kind === 'placements') {
          list.append(h('div.b24-journal-row', { testid: 'panel-item', dataset: { placement: row.placement } },
            h('b', null, row.placement), h('span', null, row.title ?? ''), h('code', null, row.handler)))
        }
        else {
          const waiting = kind === 'workflows' && row.details?.waitsForApproval && newestAbout.get(row.details.workflowId) === row.id
          list.append(h('div.b24-journal-row', { testid: 'panel-item', dataset: { kind: row.kind, id: row.id } },
            h('time', null, String(row.at ?? '').replace('T', ' ').slice(0, 19)), h('b', null, row.title ?? ''),
            waiting ? h('button.b24-btn.b24-btn-success.b24-btn-sm', { testid: 'workflow-approve', dataset: { workflowId: row.details.workflowId }, onclick: () => this.approve(row.details.workflowId) }, t('approve')) : null,
            h('code', null, typeof row.details === 'string' ? row.details : JSON.stringify(row.details ?? ''))))
        }
      }
      list.dataset.count = String(rows.length)
    }
    catch (error) {
      list.replaceChildren(h('div.b24-empty', null, String(/** @type {Error} */ (error).message)))
    }
  },
}

// ---------------------------------------------------------------------------------------------
// Pages
function workspaceHeader(title, ...tools) {
  pageTitleEl = h('h1.b24-page-title', { id: 'pagetitle', testid: 'page-title' }, title)
  return h('div.b24-page-head', null, pageTitleEl, h('div.b24-page-tools', null, tools))
}

function crmTabs(active) {
  const tab = (key, href) => h('a.b24-crm-tab' + (key === active ? '.is-active' : ''), { href: portalUrl(href) }, t(key))
  return h('div.b24-crm-tabs', null, tab('deals', '/crm/deal/list/'), tab('contacts', '/crm/contact/list/'), tab('companies', '/crm/company/list/'),
    tab('invoices', '/crm/type/31/list/'), tab('analytics', '/crm/analytics/'), tab('robots', '/crm/deal/automation/'))
}

async function pageDealList(root) {
  const pageSize = 50
  const pageNo = Math.max(1, Number(new URLSearchParams(window.location.search).get('page') ?? 1) || 1)
  const grid = h('div.b24-grid-wrap')
  const filter = h('div.b24-filter', null, h('span.b24-filter-pill', null, lang === 'en' ? 'Deals in progress' : 'Сделки в работе'), h('input.b24-filter-input', { placeholder: lang === 'en' ? 'Filter and search' : 'Фильтр + поиск' }))
  root.append(crmTabs('deals'), workspaceHeader(t('deals'), filter, h('button.b24-btn.b24-btn-success', null, lang === 'en' ? 'Create' : 'Создать')), grid)

  async function render() {
    const deals = await getJson(`/emulator/deals?userId=${userId}`)
    const menuBindings = bindings('CRM_DEAL_LIST_MENU')
    const rows = deals.slice((pageNo - 1) * pageSize, pageNo * pageSize)
    const table = h('table.b24-grid', { testid: 'deal-grid' },
      h('thead', null, h('tr', null, h('th.b24-grid-check', null, h('input', { type: 'checkbox' })), h('th.b24-grid-menu-col'),
        h('th', null, t('deal')), h('th', null, t('stage')), h('th.num', null, t('sum')), h('th', null, t('client')), h('th', null, t('assigned')))),
      h('tbody', null, rows.map((d) => {
        const menuBtn = h('button.b24-row-menu-btn', { 'testid': 'row-menu', 'aria-label': 'menu' }, '☰')
        menuBtn.addEventListener('click', (e) => {
          e.stopPropagation()
          openRowMenu(menuBtn, d, menuBindings)
        })
        return h('tr', { testid: 'deal-row', dataset: { dealId: d.id } },
          h('td.b24-grid-check', null, h('input', { type: 'checkbox' })),
          h('td', null, menuBtn),
          h('td', null, h('a.b24-link', { href: portalUrl(`/crm/deal/details/${d.id}/`), testid: 'deal-link' }, d.title)),
          h('td', null, h('span.b24-stage-pill', { style: { background: stageColor(d.stageId) } }, d.stageName ?? d.stageId)),
          h('td.num', null, money(d.opportunity, d.currencyId)),
          h('td', null, d.clientName ?? ''),
          h('td', null, h('span.b24-user-chip', null, h('span.b24-avatar.b24-avatar-sm', null, (d.assignedName ?? '?').slice(0, 1)), d.assignedName ?? '')))
      })))
    const pages = Math.max(1, Math.ceil(deals.length / pageSize))
    const pager = h('div.b24-grid-foot', null,
      h('span', { testid: 'deal-count', dataset: { count: deals.length } }, `${t('shown')}: ${rows.length} ${t('of')} ${deals.length}`),
      pages > 1
        ? h('span.b24-pager', null, `${t('pages')}: `, Array.from({ length: Math.min(pages, 20) }, (_, i) => i + 1).map(n =>
            n === pageNo ? h('b', null, n) : h('a.b24-link', { href: portalUrl('/crm/deal/list/', { page: n }) }, n)))
        : null)
    grid.replaceChildren(table, pager)
  }
  state.reloadListeners.push(render)
  await render()
}

function openRowMenu(anchor, deal, menuBindings) {
  document.querySelector('.b24-popup-menu')?.remove()
  const close = () => menu.remove()
  const menu = h('div.b24-popup-menu', { testid: 'row-menu-popup' },
    h('a.b24-popup-item', { href: portalUrl(`/crm/deal/details/${deal.id}/`) }, t('open')),
    h('a.b24-popup-item', { href: portalUrl(`/crm/deal/details/${deal.id}/`) }, t('edit')),
    menuBindings.length
      ? [h('div.b24-popup-sep', null, t('market24')), menuBindings.map(b => h('button.b24-popup-item', {
          testid: 'row-menu-app',
          dataset: { placement: b.placement },
          onclick: () => {
            close()
            shell.openAppSlider({ placement: 'CRM_DEAL_LIST_MENU', placementOptions: { ID: String(deal.id) }, binding: b })
          },
        }, bindingTitle(b)))]
      : null)
  const r = anchor.getBoundingClientRect()
  menu.style.left = `${r.left + window.scrollX}px`
  menu.style.top = `${r.bottom + window.scrollY + 4}px`
  document.body.append(menu)
  setTimeout(() => document.addEventListener('click', close, { once: true }), 0)
}

/** A CRM card (deal or invoice), styled as the Bitrix24 side slider, with app tabs for the given placement. */
async function pageCard(root, { kind }) {
  const id = config.id
  const isDeal = kind === 'deal'
  const placementCode = isDeal ? 'CRM_DEAL_DETAIL_TAB' : 'CRM_SMART_INVOICE_DETAIL_TAB'
  const card = h('div.b24-card', { testid: isDeal ? 'deal-card' : 'invoice-card', dataset: { id } })
  if (config.iframe) root.append(card)
  else {
    const close = h('a.b24-slider-close.b24-slider-close-static', { href: portalUrl(isDeal ? '/crm/deal/list/' : '/crm/type/31/list/'), testid: 'card-close' }, h('span.b24-slider-close-x', null, '×'))
    root.append(h('div.b24-card-backdrop', null, h('div.b24-slider-panel.b24-slider-static', null, close, card)))
  }

  /** @type {any} the deal or invoice as the control API gives it (fields read as they come) */
  let item = null
  // The control API has no invoice endpoint yet: take the invoice from its deal (`deal=` from the deal card link).
  const loadInvoice = async () => {
    const fromApi = await getJson(`/emulator/invoices/${id}?userId=${userId}`).catch(() => null)
    if (fromApi) return fromApi
    const dealId = new URLSearchParams(window.location.search).get('deal')
    const deal = dealId ? await getJson(`/emulator/deals/${dealId}`).catch(() => null) : null
    const inv = deal?.invoices?.find(x => String(x.id) === String(id))
    if (inv) return { ...inv, title: inv.title || `${t('invoice')} ${inv.accountNumber ?? ''}`, clientName: deal.clientName, assignedName: deal.assignedName, dealTitle: deal.title, dealId: deal.id }
    return { id, title: `${t('invoice')} #${id}`, stageId: '', stageName: '', opportunity: 0, currencyId: 'RUB' }
  }
  // The deal's pipeline: its stages are the steps of the stage bar; clicking one moves the deal (as in Bitrix24).
  let dealStages = []
  const load = async () => {
    if (isDeal) {
      item = await getJson(`/emulator/deals/${id}?userId=${userId}`)
      const pipelines = await getJson('/emulator/deal-stages').catch(() => [])
      dealStages = pipelines.find(p => p.stages.some(s => s.id === item.stageId))?.stages ?? pipelines[0]?.stages ?? []
    }
    else item = await loadInvoice()
    return item
  }
  try {
    await load()
    // Managers see only their own deals (the same rule as /emulator/deals?userId=).
    const me = currentUser()
    if (isDeal && me?.role === 'manager' && Number(item.assignedById) !== userId) {
      const denied = /** @type {HttpError} */ (new Error('ACCESS_DENIED'))
      denied.status = 403
      throw denied
    }
  }
  catch (caught) {
    const error = /** @type {HttpError} */ (caught)
    card.append(h('div.b24-card-missing', { testid: 'card-missing' }, `${t('notFound')} (${error.status ?? error.message})`))
    return
  }

  const header = h('div.b24-card-header')
  const renderHeader = () => {
    const code = stageCode(item.stageId)
    const idx = STAGES.findIndex(s => s.code === code)
    pageTitleEl = h('h1.b24-card-title', { id: 'pagetitle', testid: 'card-title' }, item.title ?? `#${id}`)
    header.replaceChildren(
      h('div.b24-card-title-row', null, pageTitleEl, h('span.b24-card-sum', { testid: 'card-sum' }, money(item.opportunity, item.currencyId)),
        h('div.b24-card-tools', null, h('button.b24-btn.b24-btn-light.b24-btn-sm', null, lang === 'en' ? 'Document' : 'Документ'), h('button.b24-btn.b24-btn-light.b24-btn-sm', null, '⚙'))),
      isDeal && dealStages.length
        ? dealStageBar()
        : isDeal
          ? h('div.b24-stage-bar', { testid: 'card-stage', dataset: { stageId: item.stageId } }, STAGES.map((s, i) => h('span.b24-stage-step' + (i <= idx ? '.is-passed' : ''), {
              style: i <= idx ? { background: idx >= 0 ? STAGES[idx].color : '#a8adb4' } : {},
            }, s[lang])), idx < 0 ? h('span.b24-stage-step.is-passed', { style: { background: stageColor(item.stageId) } }, item.stageName ?? item.stageId) : null)
          : h('div.b24-stage-bar', { testid: 'card-stage', dataset: { stageId: item.stageId } }, h('span.b24-stage-step.is-passed', { style: { background: stageColor(item.stageId) } }, item.stageName || item.stageId || '—')))
    document.title = `${item.title ?? ''} — Битрикс24`
  }
  /** Stage steps as buttons: a click on another stage moves the deal through the portal (crm.item.update: events, robots). */
  function dealStageBar() {
    const current = dealStages.findIndex(s => s.id === item.stageId)
    const color = stageColor(item.stageId)
    return h('div.b24-stage-bar', { testid: 'card-stage', dataset: { stageId: item.stageId } }, dealStages.map((s, i) => {
      const here = s.id === item.stageId
      return h('button.b24-stage-step' + (i <= current ? '.is-passed' : ''), {
        'type': 'button', 'testid': 'stage-step', 'dataset': { stageId: s.id }, 'aria-current': here ? 'step' : undefined,
        'title': here ? s.name : `${t('moveTo')} «${s.name}»`, 'style': i <= current ? { background: color } : {}, 'disabled': here,
        'onclick': () => moveStage(s),
      }, s.name)
    }))
  }
  async function moveStage(stage) {
    const res = await fetch(`/emulator/deals/${id}/stage`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId, stageId: stage.id }) })
    const answer = await res.json().catch(() => ({}))
    if (!res.ok) {
      shell.toast(answer.error_description ?? `HTTP ${res.status}`)
      return
    }
    shell.toast(`${t('stageMoved')} «${stage.name}»`)
    await load()
    renderHeader()
    renderGeneral()
    await renderHistory()
    // Robot runs and their answers arrive after the move: show them as they come.
    setTimeout(() => renderHistory(), 1500)
  }
  renderHeader()

  const general = h('div.b24-tab-body', { testid: 'tab-general' })
  const renderGeneral = () => {
    const field = (label, value) => h('div.b24-field', null, h('div.b24-field-label', null, label), h('div.b24-field-value', null, value ?? '—'))
    const invoices = item.invoices ?? []
    general.replaceChildren(h('div.b24-card-cols', null,
      h('div.b24-card-col', null,
        h('div.b24-block', null, h('div.b24-block-title', null, isDeal ? t('about') : t('invoice')),
          field(t('sum'), money(item.opportunity, item.currencyId)),
          field(t('stage'), item.stageName ?? item.stageId),
          field(t('client'), item.clientName),
          field(t('assigned'), item.assignedName),
          item.accountNumber ? field('№', item.accountNumber) : null,
          item.dealId ? field(t('deal'), h('a.b24-link', { href: portalUrl(`/crm/deal/details/${item.dealId}/`) }, item.dealTitle ?? `#${item.dealId}`)) : null),
        isDeal
          ? h('div.b24-block', { testid: 'deal-invoices' }, h('div.b24-block-title', null, t('invoicesOfDeal')),
              invoices.length
                ? invoices.map(inv => h('div.b24-field', null, h('a.b24-link', { href: portalUrl(`/crm/type/31/details/${inv.id}/`, { deal: id }), testid: 'invoice-link' }, inv.accountNumber || inv.title || `#${inv.id}`),
                    h('span.b24-stage-pill', { style: { background: stageColor(inv.stageId) } }, inv.stageName ?? inv.stageId), h('span', null, money(inv.opportunity, inv.currencyId))))
                : h('div.b24-empty', null, t('empty')))
          : null),
      h('div.b24-card-col.b24-card-col-wide', null, h('div.b24-block', null, h('div.b24-block-title', null, t('history')), historyList()))))
  }
  const historyBox = h('div.b24-timeline', { testid: 'card-timeline' })
  const historyList = () => historyBox
  const robotState = row => ({ waiting: t('robotWaiting'), answered: t('robotAnswered'), completed: t('robotCompleted') })[row.details?.state] ?? ''
  const renderHistory = async () => {
    const robotRows = isDeal ? (await getJson('/emulator/journal?kind=robots').catch(() => [])).filter(r => String(r.details?.dealId) === String(id)) : []
    const rows = await getJson('/emulator/journal?kind=timeline').catch(() => [])
    const mine = rows.filter((r) => {
      const d = r.details ?? {}
      const owner = d.entityId ?? d.ownerId ?? d.ENTITY_ID ?? d.OWNER_ID ?? (isDeal ? d.dealId : d.invoiceId)
      const type = d.entityTypeId ?? d.ownerTypeId ?? d.ENTITY_TYPE_ID ?? d.OWNER_TYPE_ID
      return String(owner) === String(id) && (type === undefined || Number(type) === (isDeal ? 2 : 31) || String(type).toLowerCase() === (isDeal ? 'deal' : 'invoice'))
    })
    const robotItems = robotRows.map(r => h('div.b24-timeline-item', { testid: 'robot-run', dataset: { state: r.details.state, delivery: r.details.delivery } },
      h('time', null, String(r.at ?? '').replace('T', ' ').slice(0, 16)), h('b', null, `${t('robotRun')} «${r.title}»`),
      h('div', null, [robotState(r), r.details.delivery === 'failed' ? t('robotFailed') : '', r.details.logMessage ?? ''].filter(Boolean).join(' · ')),
      r.details.returnValues ? h('code', null, JSON.stringify(r.details.returnValues)) : null))
    historyBox.replaceChildren(...robotItems, ...mine.map(r => h('div.b24-timeline-item', { testid: 'timeline-item' },
      h('time', null, String(r.at ?? '').replace('T', ' ').slice(0, 16)), h('b', null, r.title), h('div', null, typeof r.details?.comment === 'string' ? r.details.comment : ''))),
    h('div.b24-timeline-item.is-muted', null, h('b', null, isDeal ? t('created') : t('invoice'))))
  }
  renderGeneral()
  renderHistory()

  const products = h('div.b24-tab-body', { testid: 'tab-products' }, h('table.b24-grid', null, h('thead', null, h('tr', null, h('th', null, lang === 'en' ? 'Product' : 'Товар'), h('th', null, lang === 'en' ? 'Price' : 'Цена'), h('th', null, lang === 'en' ? 'Qty' : 'Кол-во'), h('th', null, t('sum')))), h('tbody', null, h('tr', null, h('td', { colspan: 4 }, h('div.b24-empty', null, t('noProducts')))))))
  const history = h('div.b24-tab-body', { testid: 'tab-history' })

  /** @type {Array<{ key: string, title: string, body: HTMLElement, onShow?: () => void, app?: boolean, placement?: string, button?: HTMLElement }>} */
  const tabs = [
    { key: 'general', title: t('general'), body: general },
    { key: 'products', title: t('products'), body: products },
    { key: 'history', title: t('history'), body: history, onShow: () => history.replaceChildren(historyBox) },
  ]
  for (const b of bindings(placementCode)) {
    const body = h('div.b24-tab-body.b24-app-tab-body', { testid: 'app-tab-body', dataset: { placement: placementCode } })
    let host = null
    tabs.push({
      key: 'app', title: bindingTitle(b), body, app: true, placement: placementCode,
      onShow: () => {
        if (host) return
        host = new FrameHost({ container: body, placement: placementCode, placementOptions: { ID: String(id) }, userId, lang, appUrl: handlerUrl(b), shell, height: 700 })
        host.mount()
      },
    })
  }

  const tabBar = h('div.b24-card-tabs', { testid: 'card-tabs' })
  const bodies = h('div.b24-card-bodies')
  const select = (tab) => {
    for (const x of tabs) {
      x.body.hidden = x !== tab
      x.button?.classList.toggle('is-active', x === tab)
    }
    tab.onShow?.()
  }
  for (const tab of tabs) {
    tab.button = h('button.b24-card-tab', { testid: tab.app ? 'app-tab' : `tab-${tab.key}`, dataset: { placement: tab.placement }, onclick: () => select(tab) }, tab.title)
    tabBar.append(tab.button)
    bodies.append(tab.body)
  }
  card.append(header, tabBar, bodies)
  const wanted = config.tab === 'app' ? tabs.find(x => x.app) : tabs.find(x => x.key === config.tab)
  select(wanted ?? tabs[0])

  // placement.call('reloadData'): refresh the card header and data, as Bitrix24 does.
  state.reloadListeners.push(async () => {
    await load()
    renderHeader()
    renderGeneral()
    await renderHistory()
  })
}

async function pageAnalytics(root) {
  const content = h('div.b24-analytics-content', { testid: 'analytics-content' })
  const menu = h('nav.b24-sub-menu', { testid: 'analytics-menu' })
  const report = () => {
    const bars = [62, 48, 75, 33, 90, 55]
    content.replaceChildren(h('div.b24-block', null, h('div.b24-block-title', null, t('salesSummary')),
      h('div.b24-bars', null, bars.map((v, i) => h('div.b24-bar', { style: { height: `${v * 2}px`, background: STAGES[i % STAGES.length].color } })))))
  }
  const items = []
  const mk = (title, onClick, attrs = {}) => {
    const el = h('button.b24-sub-item', { ...attrs, onclick: () => {
      for (const x of items) x.classList.remove('is-active')
      el.classList.add('is-active')
      onClick()
    } }, title)
    items.push(el)
    return el
  }
  menu.append(h('div.b24-sub-group', null, t('reports')), mk(t('salesSummary'), report), mk(t('funnel'), report), mk(t('managers'), report))
  const appItems = bindings('CRM_ANALYTICS_MENU').map(b => mk(bindingTitle(b), () => {
    content.replaceChildren()
    const box = h('div.b24-app-box')
    content.append(box)
    new FrameHost({ container: box, placement: 'CRM_ANALYTICS_MENU', placementOptions: {}, userId, lang, appUrl: handlerUrl(b), shell, height: Math.max(500, window.innerHeight - 160) }).mount()
  }, { testid: 'analytics-app-item', dataset: { placement: 'CRM_ANALYTICS_MENU' } }))
  if (appItems.length) menu.append(h('div.b24-sub-group', null, t('apps')), ...appItems)
  root.append(crmTabs('analytics'), workspaceHeader(t('analytics')), h('div.b24-analytics', null, menu, content))
  if (config.tab === 'app' && appItems[0]) appItems[0].click()
  else items[0].click()
}

async function pageApp(root) {
  const b = bindings('DEFAULT')[0]
  root.append(workspaceHeader(b ? bindingTitle(b) : 'Invoice Desk'))
  const box = h('div.b24-app-box.b24-app-page', { testid: 'app-page' })
  root.append(box)
  const me = currentUser()
  if (!state.installed && !me?.isAdmin) {
    box.append(h('div.b24-alert', { testid: 'not-installed' }, t('notInstalled')))
    return
  }
  const options = {}
  for (const [k, v] of new URLSearchParams(window.location.search)) {
    const m = /^params\[(.+)\]$/.exec(k)
    if (m) options[m[1]] = v
  }
  new FrameHost({ container: box, placement: 'DEFAULT', placementOptions: options, userId, lang, appUrl: b ? handlerUrl(b) : config.appUrl, shell, height: Math.max(500, window.innerHeight - 140) }).mount()
}

async function pageGeneric(root) {
  const m = /^\/company\/personal\/user\/(\d+)\//.exec(config.path)
  if (m) {
    const u = state.users.find(x => String(x.id) === m[1])
    root.append(workspaceHeader(u ? userLabel(u) : config.path), h('div.b24-block', { testid: 'user-profile' },
      u ? [h('div.b24-field', null, h('div.b24-field-label', null, 'E-mail'), h('div.b24-field-value', null, u.email ?? '')), h('div.b24-field', null, h('div.b24-field-label', null, t('user')), h('div.b24-field-value', null, roleLabel(u.role)))] : t('notFound')))
    return
  }
  root.append(workspaceHeader(config.path), h('div.b24-block', { testid: 'generic-page' }, lang === 'en' ? 'This portal section is not emulated.' : 'Этот раздел портала в эмуляторе не показывается.'))
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const rootEl = /** @type {HTMLElement} */ (document.getElementById('app-root'))
  try {
    const [info, placements] = await Promise.all([getJson('/emulator/info'), getJson('/emulator/placements').catch(() => [])])
    state.info = info
    state.users = info.users ?? []
    state.installed = info.installed !== false
    state.placements = placements
  }
  catch (error) {
    rootEl.textContent = `Emulator control API unavailable: ${/** @type {Error} */ (error).message}`
    return
  }
  await syncClock()
  rootEl.className = ''
  rootEl.replaceChildren()
  const workspace = h('main.b24-workspace', { testid: 'workspace' })
  if (config.iframe) rootEl.append(workspace)
  else {
    rootEl.append(leftMenu(), h('div.b24-main', null, topBar(), workspace))
    if (config.page !== 'panels') document.body.append(panels.build(false))
  }
  document.body.append(toastBox)
  const pages = {
    'deal-list': pageDealList,
    'deal-card': r => pageCard(r, { kind: 'deal' }),
    'invoice-card': r => pageCard(r, { kind: 'invoice' }),
    'analytics': pageAnalytics,
    'app': pageApp,
    'generic': pageGeneric,
    'robots': r => pageRobots(r, { h, lang, userId, getJson, workspaceHeader, crmTabs, currentUser, stageColor, portalUrl, toast: text => shell.toast(text) }),
    'panels': (r) => {
      r.append(workspaceHeader(t('panels')), panels.build(true))
    },
  }
  try {
    await pages[config.page](workspace)
  }
  catch (caught) {
    const error = /** @type {{ message?: string }} */ (caught)
    workspace.append(h('div.b24-alert', { testid: 'page-error' }, String(error.message ?? error)))
    logProtocol({ dir: '-', status: 'error', detail: String(error.message ?? error) })
  }
  tickClock()
  setInterval(tickClock, 1000)
  setInterval(syncClock, 10_000)
  document.body.dataset.ready = 'true'
}

main()
