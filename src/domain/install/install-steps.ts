/** Install steps in the order they run and are shown. */
export const INSTALL_STEPS = ['inspect', 'placements', 'triggers', 'journal', 'settings', 'finish'] as const

/** One of `INSTALL_STEPS`. */
export type InstallStep = typeof INSTALL_STEPS[number]
