// @ts-check
// The parent side of the Bitrix24 iframe protocol, as BX.rest.AppLayout does it:
// an app frame is loaded by POSTing a form into <iframe name="DOMAIN|PROTOCOL|APP_SID">, and the app talks
// to the page with postMessage strings "command:paramsJSON:callbackId:APP_SID" (or objects for
// commands containing ':'); the page answers "callbackId:JSON" to that frame, targeting the app origin.

const LOG_LIMIT = 200

/** Parent-side protocol log (newest last); rendered by the panels, read by tests via window.__host. */
export const protocolLog = []
const logListeners = new Set()
let logSeq = 0

export function onProtocolLog(listener) {
  logListeners.add(listener)
  return () => logListeners.delete(listener)
}

/**
 * @param {{ dir: 'in'|'out'|'-', status: string, command?: string, appSid?: string, placement?: string, detail?: string }} entry
 */
export function logProtocol(entry) {
  const full = { seq: ++logSeq, at: new Date().toISOString(), command: '', appSid: '', placement: '', detail: '', ...entry }
  protocolLog.push(full)
  if (protocolLog.length > LOG_LIMIT) protocolLog.splice(0, protocolLog.length - LOG_LIMIT)
  for (const listener of logListeners) listener(full)
}

/**
 * Parses a message the way the real parent does (BX.rest.AppLayout.prototype.receiveMessage):
 * command = first piece, appSid = last, callbackId = second to last, params = everything in between.
 * Objects are read as { method, params, callback, appSid }.
 * @param {string | { method?: unknown, params?: unknown, callback?: unknown, appSid?: unknown } | null | undefined} data
 * @returns {{ command: string, params: unknown, callbackId: string, appSid: string, rawParams: string, badJson?: true } | null}
 */
export function parseMessage(data) {
  if (typeof data === 'string') {
    const r = data.split(':')
    const len = r.length
    if (len < 3) return null
    const rawParams = r.slice(1, len - 2).join(':')
    let params = rawParams
    if (rawParams.length > 0) {
      try {
        params = JSON.parse(rawParams)
      }
      catch {
        // The real parent throws here; the message is lost. Keep the raw string for the log.
        return { command: r[0] ?? '', params: undefined, callbackId: r[len - 2] ?? '', appSid: r[len - 1] ?? '', rawParams, badJson: true }
      }
    }
    return { command: r[0] ?? '', params, callbackId: r[len - 2] ?? '', appSid: r[len - 1] ?? '', rawParams }
  }
  if (data && typeof data === 'object') {
    return {
      command: String(data.method ?? ''),
      params: data.params,
      callbackId: String(data.callback ?? ''),
      appSid: String(data.appSid ?? ''),
      rawParams: typeof data.params === 'string' ? data.params : JSON.stringify(data.params ?? ''),
    }
  }
  return null
}

/** Paths the real parent lets openPath show in a slider (A: applayout.js, plus crm/type as the SDK documents). */
export const OPEN_PATH_ALLOWED = /^\/(crm\/(deal|lead|contact|company|type)|marketplace|company\/personal\/user\/\d+|workgroups\/group\/\d+)\//

const DETAIL_TAB = /^CRM_[A-Z0-9_]+_DETAIL_(TAB|ACTIVITY)$/
const LIST_MENU = /^CRM_[A-Z0-9_]+_LIST_MENU$/

const frames = new Map() // APP_SID -> FrameHost
let listening = false

function randomSid() {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}

function summarize(value, max = 160) {
  let text
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value)
  }
  catch {
    text = String(value)
  }
  text = (text ?? '').replace(/("(?:AUTH_ID|REFRESH_ID|access_token|refresh_token)":")[^"]*"/g, '$1…"')
  return text.length > max ? text.slice(0, max) + '…' : text
}

function onWindowMessage(event) {
  const appOrigins = new Set([...frames.values()].map(f => f.appOrigin))
  if (!appOrigins.has(event.origin)) {
    // Not from an app frame (e.g. a portal page in a slider): the real parent ignores it silently.
    if (event.origin !== window.location.origin) {
      logProtocol({ dir: 'in', status: 'rejected', detail: `origin ${event.origin} is not the app origin` })
    }
    return
  }
  const msg = parseMessage(event.data)
  if (!msg) {
    logProtocol({ dir: 'in', status: 'rejected', detail: 'unparsable message ' + summarize(event.data) })
    return
  }
  const host = frames.get(msg.appSid)
  if (!host || host.appOrigin !== event.origin) {
    logProtocol({ dir: 'in', status: 'rejected', command: msg.command, appSid: msg.appSid, detail: 'unknown APP_SID' })
    return
  }
  host.receive(msg)
}

function ensureListening() {
  if (listening) return
  listening = true
  window.addEventListener('message', onWindowMessage)
}

export function activeFrames() {
  return [...frames.values()]
}

async function postJson(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  let data = null
  try {
    data = await res.json()
  }
  catch {
    data = null
  }
  return { ok: res.ok, status: res.status, data }
}

/**
 * The portal UI the frame commands need (shell.js supplies it).
 * @typedef {{
 *   setTitle?: (title: string, frame: FrameHost) => void,
 *   reloadData?: (frame: FrameHost) => Promise<void>,
 *   openAppSlider: (options: { placement: string, placementOptions?: object, settings?: object, opener?: FrameHost }) => Promise<void>,
 *   openPathSlider: (path: string, frame: FrameHost) => Promise<void>,
 *   pickUsers: (options: { multiple: boolean, frame: FrameHost }) => Promise<Array<{ id: string, name: string }> | null>,
 *   pickCrm: (options: { entityType: unknown, multiple: boolean, value?: unknown, frame: FrameHost }) => Promise<unknown>,
 *   toast?: (text: string) => void,
 * }} HostShell
 */

/**
 * One embedded app frame (one BX.rest.AppLayout).
 * `shell` supplies the portal UI the commands need: setTitle, reloadData, openAppSlider,
 * openPathSlider, pickUsers, pickCrm, toast; `slider` is the side slider the frame lives in, if any.
 */
export class FrameHost {
  /**
   * @param {{ container: HTMLElement, placement: string, placementOptions?: object, userId: number, lang: string,
   *   appUrl: string, shell: HostShell, title?: string, height?: number, slider?: { close: () => void } }} opts
   */
  constructor(opts) {
    this.container = opts.container
    this.placement = opts.placement
    this.placementOptions = opts.placementOptions ?? {}
    this.userId = opts.userId
    this.lang = opts.lang
    this.appUrl = opts.appUrl
    this.appOrigin = new URL(opts.appUrl).origin
    this.shell = opts.shell
    this.slider = opts.slider ?? null
    this.height = opts.height ?? 600
    this.appSid = randomSid()
    this.initData = null
    this.iframe = null
    this.boundEvents = new Set()
  }

  /** Asks the core for the session (exact getInitData reply) and loads the app with a form POST. */
  async mount() {
    const res = await postJson('/emulator/frame-session', {
      userId: this.userId,
      placement: this.placement,
      placementOptions: this.placementOptions,
      lang: this.lang,
    })
    if (!res.ok || !res.data) {
      const box = document.createElement('div')
      box.className = 'b24-frame-error'
      box.dataset.testid = 'app-frame-error'
      box.textContent = `Не удалось открыть приложение (${res.status}): ${summarize(res.data)}`
      this.container.append(box)
      logProtocol({ dir: '-', status: 'error', placement: this.placement, detail: `frame-session ${res.status}` })
      return this
    }
    this.initData = res.data
    // The installation's application token and scope go into the handler POST (GET /emulator/app-server).
    this.installation = await fetch('/emulator/app-server').then(r => (r.ok ? r.json() : null)).catch(() => null)
    frames.set(this.appSid, this)
    ensureListening()

    const iframe = document.createElement('iframe')
    iframe.name = `${this.initData.DOMAIN}|${this.initData.PROTOCOL}|${this.appSid}`
    iframe.className = 'b24-app-frame'
    iframe.dataset.testid = 'app-frame'
    iframe.dataset.placement = this.placement
    iframe.dataset.appSid = this.appSid
    iframe.style.height = `${this.height}px`
    iframe.setAttribute('allow', 'clipboard-read; clipboard-write; fullscreen')
    this.container.append(iframe)
    this.iframe = iframe
    this.submitForm()
    logProtocol({ dir: '-', status: 'loaded', placement: this.placement, appSid: this.appSid, detail: `POST ${this.appUrl} ${summarize(this.placementOptions)}` })
    return this
  }

  /** Bitrix24 POSTs to the handler: query DOMAIN, PROTOCOL, LANG, APP_SID; body with auth and the placement. */
  submitForm() {
    const d = this.initData
    const action = new URL(this.appUrl)
    action.searchParams.set('DOMAIN', d.DOMAIN)
    action.searchParams.set('PROTOCOL', String(d.PROTOCOL))
    action.searchParams.set('LANG', d.LANG)
    action.searchParams.set('APP_SID', this.appSid)
    const form = document.createElement('form')
    form.method = 'POST'
    form.action = action.toString()
    form.target = /** @type {HTMLIFrameElement} */ (this.iframe).name
    form.style.display = 'none'
    const fields = {
      AUTH_ID: d.AUTH_ID,
      AUTH_EXPIRES: String(d.AUTH_EXPIRES),
      REFRESH_ID: d.REFRESH_ID,
      ...(this.installation
        ? { SERVER_ENDPOINT: `${window.location.origin}/rest/`, APPLICATION_TOKEN: this.installation.applicationToken, APPLICATION_SCOPE: this.installation.scope }
        : {}),
      member_id: d.MEMBER_ID,
      status: 'L',
      PLACEMENT: d.PLACEMENT,
      PLACEMENT_OPTIONS: JSON.stringify(d.PLACEMENT_OPTIONS ?? {}),
    }
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement('input')
      input.type = 'hidden'
      input.name = name
      input.value = value ?? ''
      form.append(input)
    }
    document.body.append(form)
    form.submit()
    form.remove()
  }

  destroy() {
    frames.delete(this.appSid)
    this.iframe?.remove()
    this.iframe = null
  }

  /** Sends "callbackId:JSON" (or "callbackId:" for undefined) to this frame, targeting the app origin. */
  reply(msg, result) {
    if (!msg.callbackId || !this.iframe?.contentWindow) return
    const payload = msg.callbackId + ':' + (result === undefined ? '' : JSON.stringify(result))
    this.iframe.contentWindow.postMessage(payload, this.appOrigin)
    logProtocol({ dir: 'out', status: 'replied', command: msg.command, appSid: this.appSid, placement: this.placement, detail: summarize(result) })
  }

  async receive(msg) {
    if (msg.badJson) {
      logProtocol({ dir: 'in', status: 'rejected', command: msg.command, appSid: this.appSid, placement: this.placement, detail: 'bad params JSON ' + summarize(msg.rawParams) })
      return
    }
    const handler = this.commands()[msg.command]
    logProtocol({
      dir: 'in',
      status: handler ? 'accepted' : 'ignored',
      command: msg.command,
      appSid: this.appSid,
      placement: this.placement,
      detail: summarize(msg.params),
    })
    if (!handler) return
    try {
      await handler(msg.params ?? {}, msg)
    }
    catch (error) {
      logProtocol({ dir: '-', status: 'error', command: msg.command, appSid: this.appSid, detail: String(error) })
    }
  }

  isPlacementCommandAvailable(name) {
    return this.placementCommands().includes(name)
  }

  placementCommands() {
    if (DETAIL_TAB.test(this.placement) || LIST_MENU.test(this.placement)) return ['reloadData']
    return []
  }

  commands() {
    const shell = this.shell
    const c = {
      getInitData: (_p, msg) => this.reply(msg, this.initData),
      setInstall: (p, msg) => this.reply(msg, p),
      setInstallFinish: async () => {
        // The real parent saves the state, then reloads the page and never calls back.
        await postJson('/emulator/install-finish', { userId: this.userId })
        const url = new URL(window.location.href)
        url.searchParams.set('install_finished', 'Y')
        window.location.href = url.toString()
      },
      refreshAuth: async (_p, msg) => {
        const res = await postJson('/emulator/refresh-auth', { refreshToken: this.initData.REFRESH_ID })
        if (!res.ok || !res.data) {
          logProtocol({ dir: '-', status: 'error', command: 'refreshAuth', appSid: this.appSid, detail: `refresh-auth ${res.status}` })
          return
        }
        const { AUTH_ID, REFRESH_ID, AUTH_EXPIRES } = res.data
        Object.assign(this.initData, { AUTH_ID, REFRESH_ID, AUTH_EXPIRES })
        this.reply(msg, { AUTH_ID, REFRESH_ID, AUTH_EXPIRES })
      },
      resizeWindow: (p, msg) => {
        if (this.iframe) {
          const h = Number.parseInt(String(p.height), 10)
          if (Number.isFinite(h) && h > 0) this.iframe.style.height = `${h}px`
          if (p.width !== undefined) {
            const w = String(p.width)
            this.iframe.style.width = /^\d+$/.test(w) ? `${w}px` : w
          }
        }
        this.reply(msg, { width: this.iframe?.offsetWidth ?? 0, height: this.iframe?.offsetHeight ?? 0 })
      },
      setScroll: (p, msg) => {
        window.scrollTo(0, Number(p.scroll) || 0)
        this.reply(msg, p)
      },
      setTitle: (p, msg) => {
        shell.setTitle?.(String(p.title ?? ''), this)
        this.reply(msg, p)
      },
      reloadWindow: () => {
        this.submitForm()
      },
      openApplication: async (p, msg) => {
        const options = {}
        const settings = {}
        for (const [key, value] of Object.entries(p ?? {})) {
          if (key.startsWith('bx24_')) settings[key] = value
          else options[key] = value
        }
        await shell.openAppSlider({ placement: 'DEFAULT', placementOptions: options, settings, opener: this })
        this.reply(msg, undefined)
      },
      closeApplication: () => {
        this.slider?.close()
      },
      openPath: async (p, msg) => {
        const raw = String(p.path ?? '')
        if (!OPEN_PATH_ALLOWED.test(raw)) {
          this.reply(msg, { result: 'error', errorCode: 'PATH_NOT_AVAILABLE' })
          return
        }
        await shell.openPathSlider(raw, this)
        this.reply(msg, { result: 'close' })
      },
      selectUser: async (p, msg) => {
        const picked = await shell.pickUsers({ multiple: Boolean(p.mult), frame: this })
        if (picked === null) return
        this.reply(msg, p.mult ? picked : picked[0])
      },
      selectAccess: async (p, msg) => {
        const picked = await shell.pickUsers({ multiple: true, frame: this })
        if (picked === null) return
        this.reply(msg, picked.map(u => ({ id: `U${u.id}`, name: u.name })))
      },
      selectCRM: async (p, msg) => {
        const picked = await shell.pickCrm({ entityType: p.entityType ?? ['deal'], multiple: Boolean(p.multiple), value: p.value, frame: this })
        if (picked === null) return
        this.reply(msg, picked)
      },
      setAppOption: async (p, msg) => {
        // The real parent only saves app options for admins; others get no answer (SDK resolves "safely").
        if (!this.initData.IS_ADMIN) return
        const res = await postJson('/emulator/app-options', { userId: this.userId, options: { [p.name]: p.value } })
        if (!res.ok) return
        this.initData.APP_OPTIONS = { ...(this.initData.APP_OPTIONS ?? {}), [p.name]: p.value }
        this.reply(msg, p)
      },
      setUserOption: async (p, msg) => {
        const res = await postJson('/emulator/user-options', { userId: this.userId, options: { [p.name]: p.value } })
        if (!res.ok) return
        this.initData.USER_OPTIONS = { ...(this.initData.USER_OPTIONS ?? {}), [p.name]: p.value }
        this.reply(msg, p)
      },
      getInterface: (_p, msg) => {
        this.reply(msg, { command: this.placementCommands(), event: [] })
      },
      placementBindEvent: (p) => {
        // No placement events are emitted by the emulator; remember the binding for the panels.
        this.boundEvents.add(String(p.event ?? ''))
      },
      imCallTo: p => shell.toast?.(`Звонок пользователю ${p.userId}`),
      imPhoneTo: p => shell.toast?.(`Звонок на номер ${p.phone}`),
      imOpenMessenger: p => shell.toast?.(`Открыт чат ${p.dialogId ?? ''}`),
      imOpenHistory: p => shell.toast?.(`Открыта история чата ${p.dialogId ?? ''}`),
    }
    if (this.isPlacementCommandAvailable('reloadData')) {
      c.reloadData = async (_p, msg) => {
        await shell.reloadData?.(this)
        this.reply(msg, '')
      }
    }
    return c
  }
}
