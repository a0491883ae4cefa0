import { request } from 'node:https'

/** Calls the emulator's control API (`/emulator/*`, test/emulator/CONTRACT.md) over its https with its CA. */
export function emulatorControl(origin: string, caCertificate: string) {
  return <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => new Promise((resolve, reject) => {
    const payload = body === undefined ? '' : JSON.stringify(body)
    const req = request(new URL(path, origin), { method, ca: caCertificate, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve((text ? JSON.parse(text) : {}) as T)
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** A free TCP port on 127.0.0.1 (the service's port must be known before the emulator starts). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
