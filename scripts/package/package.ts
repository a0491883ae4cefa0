/**
 * `npm run package`: builds the app (`vite build` into dist/) and writes
 * `release/invoice-desk-<version>.zip` with index.html at the archive's root, ready to upload to
 * Bitrix24 as a local "static" application (see README, "Installing on a real portal").
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { createZip } from './zip.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const DIST = join(ROOT, 'dist')
const RELEASE = join(ROOT, 'release')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

function main(): void {
  const skipBuild = process.argv.includes('--no-build')
  if (!skipBuild)
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' })
  const files = filesUnder(DIST)
  if (!files.some(file => relative(DIST, file) === 'index.html'))
    throw new Error(`No index.html in ${DIST}: the build failed?`)
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  const zip = createZip(files.map(file => ({ name: relative(DIST, file).split('\\').join('/'), data: readFileSync(file) })))
  mkdirSync(RELEASE, { recursive: true })
  const target = join(RELEASE, `invoice-desk-${version}.zip`)
  writeFileSync(target, zip)
  console.log(`Wrote ${relative(ROOT, target)}: ${files.length} files, ${(zip.length / 1024).toFixed(0)} kB`)
}

main()
