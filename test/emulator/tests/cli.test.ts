// The CLI prints stable lines and stops cleanly on SIGTERM.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url))
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url))

describe('cli', () => {
  it('prints the origin, the webhook and the CA path; exits 0 on SIGTERM', async () => {
    const child = spawn(TSX, [CLI, '--port', '0', '--data', 'empty', '--https', '--webhook-secret', 's3cret'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const deadline = Date.now() + 15_000
    while (!output.includes('CA certificate:') && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    const lines = output.trim().split('\n')
    expect(lines[0]).toMatch(/^Portal emulator: https:\/\/127\.0\.0\.1:\d+$/)
    const origin = lines[0]?.slice('Portal emulator: '.length)
    expect(lines[1]).toBe(`Webhook: ${String(origin)}/rest/1/s3cret/`)
    expect(lines[2]).toMatch(/^CA certificate: \/.+\.pem$/)
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit') as [number | null]
    expect(code).toBe(0)
  })
})
