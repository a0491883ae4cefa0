import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/** Probe code linted as if it were a file in scripts/: only the `#emulator` entry point reaches the emulator. */
async function lintScript(code: string): Promise<string[]> {
  const [result] = await new ESLint().lintText(code, { filePath: 'scripts/__probe__.ts' })
  return (result?.messages ?? []).map(message => `${message.ruleId}: ${message.message}`)
}

describe('scripts reach the emulator only through #emulator', () => {
  it.each([
    ['a deep path in test/emulator', `import { startEmulator } from '../test/emulator/server.ts'\n\nexport const start = startEmulator\n`],
    ['a test support module', `import { emulatorControl } from '../test/support/emulator-control.ts'\n\nexport const control = emulatorControl\n`],
    ['a type from a nested script', `import type { EmulatorStats } from '../../test/support/emulator-control.ts'\n\nexport type Stats = EmulatorStats\n`],
    ['a re-export', `export { startEmulator } from '../test/emulator/server.ts'\n`],
    ['a dynamic import', `export const load = () => import('../test/emulator/server.ts')\n`],
  ])('refuses %s', async (_what, code) => {
    const messages = await lintScript(code)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^no-restricted-(imports|syntax): .*#emulator/)
  })

  it('resolves the entry point as vitest, tsx and tsc see it (package.json imports)', async () => {
    const emulator = await import('#emulator')
    expect(typeof emulator.startEmulator).toBe('function')
    expect(typeof emulator.emulatorControl).toBe('function')
  }, 60_000)

  it('accepts the entry point', async () => {
    const code = `import { startEmulator } from '#emulator'\nimport type { EmulatorStats } from '#emulator'\n\nexport const start = startEmulator\nexport type Stats = EmulatorStats\n`
    expect(await lintScript(code)).toEqual([])
  })
})
