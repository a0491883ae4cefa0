import type { InstallProgress, InstallStep, InstallStepStatus } from '../flows/install-app.ts'
import type { PlacementSession } from '../portal/frame-session.ts'
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { readStoredSettings, SETTINGS_OPTION } from '../domain/settings/read-settings.ts'
import { INSTALL_STEPS, installApp, InstallStepError } from '../flows/install-app.ts'
import { localeForPortalLang } from '../i18n/messages.ts'

export interface StepState {
  readonly status: InstallStepStatus
  readonly changes: number | null
}

const initialSteps = (): Record<InstallStep, StepState> =>
  Object.fromEntries(INSTALL_STEPS.map(step => [step, { status: 'pending', changes: null }])) as Record<InstallStep, StepState>

/** The installer: each step's state, the failed step and its error, and a safe retry. */
export const useInstallStore = defineStore('install', () => {
  const steps = ref(initialSteps())
  const running = ref(false)
  const failedStep = ref<InstallStep | null>(null)
  const error = shallowRef<unknown>(null)
  /** The plan refused the journal: install waits for the admin to read why before Bitrix24 reloads the page. */
  const awaitingContinue = ref(false)
  /** An earlier journal open to every user that a closed one replaced: the admin reads it before install finishes. */
  const openJournalLeft = ref<number | null>(null)
  let resume: (() => void) | null = null

  /** Finishes install once the admin has read that the journal was skipped or replaced (Bitrix24 reloads the page at finish). */
  async function finishAfterNotice(session: PlacementSession): Promise<void> {
    if (steps.value.journal.status === 'skipped' || openJournalLeft.value !== null) {
      awaitingContinue.value = true
      await new Promise<void>((resolve) => {
        resume = resolve
      })
      awaitingContinue.value = false
    }
    await session.finishInstall()
  }

  /** The admin read the notice: finish install. */
  function continueInstall(): void {
    resume?.()
    resume = null
  }

  function track(progress: InstallProgress): void {
    steps.value[progress.step] = { status: progress.status, changes: progress.changes ?? null }
    if (progress.openJournalLeft !== undefined)
      openJournalLeft.value = progress.openJournalLeft
  }

  /** Runs install from the start; finished steps are re-checked and left alone when right. */
  async function run(session: PlacementSession): Promise<void> {
    if (running.value)
      return
    running.value = true
    failedStep.value = null
    error.value = null
    steps.value = initialSteps()
    openJournalLeft.value = null
    const stored = readStoredSettings({ [SETTINGS_OPTION]: session.appOption(SETTINGS_OPTION) })
    try {
      await installApp(session.client, {
        handlerUrl: session.appUrl,
        language: localeForPortalLang(session.lang),
        settings: stored.settings,
        storedSettingsVersion: stored.storedVersion,
        finish: () => finishAfterNotice(session),
        onProgress: track,
      })
    }
    catch (caught) {
      failedStep.value = caught instanceof InstallStepError ? caught.step : 'inspect'
      error.value = caught instanceof InstallStepError ? caught.cause : caught
      // Steps that were still running when another failed did not finish either.
      for (const step of INSTALL_STEPS) {
        if (steps.value[step].status === 'running')
          steps.value[step] = { status: 'pending', changes: null }
      }
    }
    finally {
      running.value = false
    }
  }

  return { steps, running, failedStep, error, awaitingContinue, openJournalLeft, run, continueInstall }
})
