/** A self-signed certificate for `--https` (SAN IP:127.0.0.1, DNS:localhost), its PEM written to a temp dir. */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'

export interface Certificate { key: string, cert: string, caCertPath: string }

export async function createSelfSignedCertificate(): Promise<Certificate> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 30 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  })
  const directory = await mkdtemp(join(tmpdir(), 'portal-emulator-'))
  const caCertPath = join(directory, 'ca.pem')
  await writeFile(caCertPath, pems.cert)
  return { key: pems.private, cert: pems.cert, caCertPath }
}
