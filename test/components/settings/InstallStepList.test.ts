// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import InstallStepList from '../../../src/components/install/InstallStepList.vue'
import { mountWithKit } from '../mount-with-kit.ts'

describe('components/install/InstallStepList', () => {
  it('shows each step with its state and how much it changed', () => {
    const steps = {
      inspect: { status: 'done', changes: null },
      placements: { status: 'done', changes: 4 },
      triggers: { status: 'done', changes: 0 },
      journal: { status: 'done', changes: 1 },
      settings: { status: 'failed', changes: null },
      finish: { status: 'pending', changes: null },
    }
    const wrapper = mountWithKit(InstallStepList, { props: { steps } })
    const rows = wrapper.findAll('[data-testid="install-step"]')
    expect(rows.map(row => [row.attributes('data-step'), row.attributes('data-status')])).toEqual([
      ['inspect', 'done'], ['placements', 'done'], ['triggers', 'done'], ['journal', 'done'], ['settings', 'failed'], ['finish', 'pending'],
    ])
    expect(rows[1]!.text()).toContain('4 изменения')
    expect(rows[2]!.text()).toContain('уже в порядке')
    expect(rows[3]!.text()).toContain('Создаём журнал')
    expect(rows[4]!.text()).toContain('ошибка')
    wrapper.unmount()
  })
})
