// @ts-check
// «Роботы»: the deal robot designer of the portal shell — an admin puts the application's registered robots
// (bizproc.robot.add) on the stages of a deal pipeline and removes them; the recent robot runs are listed.
// Control API: GET /emulator/robots, GET|POST|DELETE /emulator/robots/placed, GET /emulator/deal-stages,
// GET /emulator/robots/calls (see ../../CONTRACT.md «Application with a server»).

const TEXT = {
  ru: {
    title: 'Роботы', subtitle: 'Роботы сделок: приложение регистрирует их, администратор ставит на стадии. Когда сделка попадает на стадию, Битрикс24 вызывает обработчик робота.',
    pipeline: 'Воронка', adminOnly: 'Настраивать роботов может только администратор портала.', add: 'Добавить робота',
    robot: 'Робот', stage: 'Стадия', place: 'Поставить на стадию', remove: 'Убрать', noRobots: 'Приложение ещё не зарегистрировало ни одного робота.',
    noneOnStage: 'Нет роботов', registered: 'Роботы приложения', calls: 'Последние запуски', waiting: 'ждёт ответа', answered: 'ответил',
    completed: 'выполнен', delivered: 'доставлен', failed: 'не доставлен', pending: 'отправляется', deal: 'Сделка', placed: 'Робот поставлен на стадию',
    removed: 'Робот убран со стадии', subscription: 'ждёт ответа приложения', noSubscription: 'без ожидания ответа', notForDeals: 'недоступен для сделок', empty: 'Пусто', refresh: 'Обновить',
  },
  en: {
    title: 'Automation rules', subtitle: 'Deal automation rules: the application registers them, an administrator puts them on stages. When a deal reaches a stage, Bitrix24 calls the rule\'s handler.',
    pipeline: 'Pipeline', adminOnly: 'Only a Bitrix24 administrator can set up automation rules.', add: 'Add a rule',
    robot: 'Rule', stage: 'Stage', place: 'Put on the stage', remove: 'Remove', noRobots: 'The application has not registered any automation rules yet.',
    noneOnStage: 'No rules', registered: 'The application\'s rules', calls: 'Recent runs', waiting: 'waiting for an answer', answered: 'answered',
    completed: 'done', delivered: 'delivered', failed: 'not delivered', pending: 'sending', deal: 'Deal', placed: 'The rule is on the stage',
    removed: 'The rule is removed from the stage', subscription: 'waits for the application\'s answer', noSubscription: 'does not wait for an answer', notForDeals: 'not offered for deals', empty: 'Empty', refresh: 'Refresh',
  },
}

async function send(method, path, body) {
  const res = await fetch(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  const data = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(data.error_description ?? `HTTP ${res.status}`)
  return data
}

/** Renders the page into `root`; `ui` carries the shell's helpers. */
export async function pageRobots(root, ui) {
  const { h, lang, userId, getJson, workspaceHeader, crmTabs, currentUser, stageColor, toast, portalUrl } = ui
  const tt = key => TEXT[lang]?.[key] ?? TEXT.ru[key] ?? key
  root.append(crmTabs('robots'), workspaceHeader(tt('title')))
  const me = currentUser()
  if (!me?.isAdmin) {
    root.append(h('div.b24-alert', { testid: 'robots-admin-only' }, tt('adminOnly')))
    return
  }
  const pipelines = await getJson('/emulator/deal-stages')
  let categoryId = pipelines[0]?.categoryId ?? 0
  const body = h('div.b24-robots', { testid: 'robots-panel' })
  root.append(h('p.b24-robots-lead', null, tt('subtitle')), body)

  async function render() {
    const [robots, placed, calls] = await Promise.all([getJson(`/emulator/robots?lang=${lang}`), getJson('/emulator/robots/placed'), getJson('/emulator/robots/calls')])
    const pipeline = pipelines.find(p => p.categoryId === categoryId) ?? pipelines[0]
    const stages = pipeline?.stages ?? []
    const robotName = code => robots.find(r => r.code === code)?.name ?? code

    const pipelineSelect = h('select.b24-switch', { 'testid': 'robots-pipeline', 'aria-label': tt('pipeline') },
      pipelines.map(p => h('option', { value: p.categoryId, selected: p.categoryId === categoryId }, p.name)))
    pipelineSelect.addEventListener('change', () => {
      categoryId = Number(pipelineSelect.value)
      void render()
    })

    const columns = h('div.b24-robot-columns', { testid: 'robot-columns' }, stages.map((stage) => {
      const here = placed.filter(p => p.categoryId === categoryId && p.stageId === stage.id)
      return h('div.b24-robot-column', { testid: 'robot-stage', dataset: { stageId: stage.id } },
        h('div.b24-robot-stage-head', { style: { background: stageColor(stage.id) } }, stage.name),
        here.length
          ? here.map(p => h('div.b24-robot-card', { testid: 'placed-robot', dataset: { code: p.code, placedId: p.id } },
              h('b', null, robotName(p.code)),
              Object.keys(p.properties).length ? h('small', null, Object.entries(p.properties).map(([k, v]) => `${k}: ${v}`).join(', ')) : null,
              h('button.b24-btn.b24-btn-light.b24-btn-sm', { testid: 'remove-robot', title: tt('remove'), onclick: async () => {
                await send('DELETE', '/emulator/robots/placed', { id: p.id, userId })
                toast(tt('removed'))
                await render()
              } }, '× ' + tt('remove'))))
          : h('div.b24-empty', null, tt('noneOnStage')))
    }))

    const available = robots.filter(r => r.availableForDeals)
    const robotSelect = h('select.b24-switch', { 'testid': 'robot-select', 'aria-label': tt('robot') }, available.map(r => h('option', { value: r.code }, r.name)))
    const stageSelect = h('select.b24-switch', { 'testid': 'robot-stage-select', 'aria-label': tt('stage') }, stages.map(s => h('option', { value: s.id }, s.name)))
    const propsBox = h('div.b24-robot-props', { testid: 'robot-properties' })
    const renderProps = () => {
      const robot = available.find(r => r.code === robotSelect.value)
      propsBox.replaceChildren(...Object.entries(robot?.properties ?? {}).map(([key, prop]) => {
        const name = typeof prop.Name === 'object' ? (prop.Name[lang] ?? prop.Name.ru ?? Object.values(prop.Name)[0]) : prop.Name
        return h('label.b24-robot-prop', null, h('span', null, `${name}${prop.Required === 'Y' ? ' *' : ''}`),
          h('input.b24-robot-input', { name: key, value: prop.Default ?? '', dataset: { property: key } }))
      }))
    }
    robotSelect.addEventListener('change', renderProps)
    renderProps()
    const placeButton = h('button.b24-btn.b24-btn-success', { testid: 'place-robot', disabled: available.length === 0, onclick: async () => {
      const properties = {}
      for (const input of propsBox.querySelectorAll('input')) if (input.value !== '') properties[input.dataset.property] = input.value
      try {
        await send('POST', '/emulator/robots/placed', { categoryId, stageId: stageSelect.value, code: robotSelect.value, properties, userId })
        toast(tt('placed'))
      }
      catch (error) {
        toast(/** @type {Error} */ (error).message)
      }
      await render()
    } }, tt('place'))
    const addForm = available.length
      ? h('div.b24-block.b24-robot-add', { testid: 'robot-add' }, h('div.b24-block-title', null, tt('add')),
          h('div.b24-robot-add-row', null, h('label.b24-robot-prop', null, h('span', null, tt('robot')), robotSelect), h('label.b24-robot-prop', null, h('span', null, tt('stage')), stageSelect), placeButton),
          propsBox)
      : h('div.b24-alert', { testid: 'robots-none' }, tt('noRobots'))

    const registered = h('div.b24-block', { testid: 'robots-registered' }, h('div.b24-block-title', null, tt('registered')),
      robots.length
        ? robots.map(r => h('div.b24-field', { testid: 'registered-robot', dataset: { code: r.code } }, h('b', null, r.name), h('code', null, r.code),
            h('small', null, r.useSubscription ? tt('subscription') : tt('noSubscription')), r.availableForDeals ? null : h('small', null, tt('notForDeals'))))
        : h('div.b24-empty', null, tt('empty')))

    const recent = h('div.b24-block', { testid: 'robot-calls' }, h('div.b24-block-title', null, tt('calls')),
      calls.length
        ? calls.slice(0, 10).map(c => h('div.b24-field', { testid: 'robot-call', dataset: { callId: c.callId, state: c.state, delivery: c.delivery } },
            h('a.b24-link', { href: portalUrl(`/crm/deal/details/${c.dealId}/`) }, `${tt('deal')} #${c.dealId}`), h('b', null, robotName(c.code)),
            h('span.b24-stage-pill', { style: { background: stageColor(c.stageId) } }, stages.find(s => s.id === c.stageId)?.name ?? c.stageId),
            h('span', null, `${tt(c.state)} · ${tt(c.delivery)}`), c.returnValues ? h('code', null, JSON.stringify(c.returnValues)) : null))
        : h('div.b24-empty', null, tt('empty')))

    body.replaceChildren(
      h('div.b24-robots-toolbar', null, h('span', null, tt('pipeline')), pipelineSelect, h('button.b24-btn.b24-btn-light.b24-btn-sm', { testid: 'robots-refresh', onclick: () => render() }, tt('refresh'))),
      columns, addForm, h('div.b24-robot-lists', null, registered, recent))
  }
  await render()
}
