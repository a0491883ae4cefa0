import { inflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createZip } from '../../scripts/package/zip.ts'

/** Reads an archive back through its central directory, the way unzip tools do. */
function readZip(zip: Buffer): Record<string, string> {
  const end = zip.length - 22
  expect(zip.readUInt32LE(end)).toBe(0x06054B50)
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const files: Record<string, string> = {}
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014B50)
    const method = zip.readUInt16LE(at + 10)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const offset = zip.readUInt32LE(at + 42)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    const local = offset + 30 + zip.readUInt16LE(offset + 26)
    const body = zip.subarray(local, local + size)
    files[name] = (method === 8 ? inflateRawSync(body) : body).toString('utf8')
    at += 46 + nameLength
  }
  return files
}

describe('scripts/package/zip', () => {
  it('writes files (deflated or stored) that read back byte for byte, index.html at the root', () => {
    const files = { 'index.html': '<!doctype html><div id="app"></div>'.repeat(20), 'assets/a.js': 'x', 'assets/счёт.txt': 'юникод' }
    const zip = createZip(Object.entries(files).map(([name, text]) => ({ name, data: Buffer.from(text) })))
    expect(readZip(zip)).toEqual(files)
  })

  it('is reproducible: the same input gives the same bytes', () => {
    const entries = [{ name: 'index.html', data: Buffer.from('<html></html>') }]
    expect(createZip(entries).equals(createZip(entries))).toBe(true)
  })
})
