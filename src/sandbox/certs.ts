import {generateKeyPairSync, randomBytes, X509Certificate} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import forge from 'node-forge'

export interface PemPair {
  cert: string
  key: string
}

export interface CertPaths {
  dir: string
  caCert: string
  caKey: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
}

const DAY_MS = 24 * 60 * 60 * 1000

// Forge's pure-JS RSA keygen takes seconds; Node's native one is instant, and forge can still sign
// with the imported key.
function newKeyPair(): {privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string} {
  const {privateKey, publicKey} = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: {type: 'pkcs8', format: 'pem'},
    publicKeyEncoding: {type: 'spki', format: 'pem'},
  })
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    keyPem: privateKey,
  }
}

function serialNumber(): string {
  // A positive serial: clear the top bit so DER does not read it as negative.
  const bytes = randomBytes(16)
  bytes[0] &= 0x7f
  return bytes.toString('hex')
}

function baseCert(publicKey: forge.pki.rsa.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  cert.serialNumber = serialNumber()
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + days * DAY_MS)
  return cert
}

export function createCA(commonName = 'toolforge-sandbox-ca', days = 3650): PemPair {
  const keys = newKeyPair()
  const cert = baseCert(keys.publicKey, days)
  const attrs = [{name: 'commonName', value: commonName}, {name: 'organizationName', value: 'toolforge-sandbox'}]
  cert.setSubject(attrs)
  cert.setIssuer(attrs)
  cert.setExtensions([
    {name: 'basicConstraints', cA: true, critical: true},
    {name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true},
    {name: 'subjectKeyIdentifier'},
  ])
  cert.sign(keys.privateKey, forge.md.sha256.create())
  return {cert: forge.pki.certificateToPem(cert), key: keys.keyPem}
}

function signWithCA(
  ca: PemPair,
  subject: forge.pki.CertificateField[],
  extensions: object[],
  days: number,
): PemPair {
  const caCert = forge.pki.certificateFromPem(ca.cert)
  const caKey = forge.pki.privateKeyFromPem(ca.key)
  const keys = newKeyPair()
  const cert = baseCert(keys.publicKey, days)
  cert.setSubject(subject)
  cert.setIssuer(caCert.subject.attributes)
  cert.setExtensions([
    {name: 'basicConstraints', cA: false},
    {name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes()},
    ...extensions,
  ])
  cert.sign(caKey, forge.md.sha256.create())
  return {cert: forge.pki.certificateToPem(cert), key: keys.keyPem}
}

export function createServerCert(ca: PemPair, days = 825): PemPair {
  return signWithCA(
    ca,
    [{name: 'commonName', value: 'localhost'}],
    [
      {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
      {name: 'extKeyUsage', serverAuth: true},
      {
        name: 'subjectAltName',
        altNames: [
          {type: 2, value: 'localhost'},
          {type: 7, ip: '127.0.0.1'},
          {type: 7, ip: '::1'},
        ],
      },
    ],
    days,
  )
}

/** Same subject as maintain-kubeusers' CSR: CN=<tool>, O=toolforge (config-auth.md §4.1). */
export function createClientCert(ca: PemPair, tool: string, days = 365): PemPair {
  return signWithCA(
    ca,
    [
      {name: 'commonName', value: tool},
      {name: 'organizationName', value: 'toolforge'},
    ],
    [
      {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
      {name: 'extKeyUsage', clientAuth: true},
    ],
    days,
  )
}

export function writePem(path: string, pem: string, secret: boolean): void {
  writeFileSync(path, pem, {mode: secret ? 0o600 : 0o644})
  // writeFileSync keeps the mode of an existing file; make sure a rewritten key is private too.
  chmodSync(path, secret ? 0o600 : 0o644)
}

export function certPaths(dataDir: string): CertPaths {
  const dir = join(dataDir, 'certs')
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dataDir, 'toolskube', 'client.crt'),
    clientKey: join(dataDir, 'toolskube', 'client.key'),
  }
}

function certMatchesTool(certPem: string, tool: string): boolean {
  try {
    const x = new X509Certificate(certPem)
    return x.subject.split('\n').includes(`CN=${tool}`) && new Date(x.validTo).getTime() > Date.now() + 30 * DAY_MS
  } catch {
    return false
  }
}

/**
 * Creates whatever is missing: the CA and server certificate once, and a client certificate for `tool`
 * (re-issued when the tool changes or it is within 30 days of expiry, like maintain-kubeusers).
 */
export function ensureCerts(dataDir: string, tool: string): CertPaths {
  const paths = certPaths(dataDir)
  mkdirSync(paths.dir, {recursive: true, mode: 0o700})
  mkdirSync(join(dataDir, 'toolskube'), {recursive: true, mode: 0o700})

  let ca: PemPair
  let freshCA = false
  if (existsSync(paths.caCert) && existsSync(paths.caKey)) {
    ca = {cert: readFileSync(paths.caCert, 'utf8'), key: readFileSync(paths.caKey, 'utf8')}
  } else {
    ca = createCA()
    writePem(paths.caKey, ca.key, true)
    writePem(paths.caCert, ca.cert, false)
    freshCA = true
  }

  if (freshCA || !existsSync(paths.serverCert) || !existsSync(paths.serverKey)) {
    const server = createServerCert(ca)
    writePem(paths.serverKey, server.key, true)
    writePem(paths.serverCert, server.cert, false)
  }

  if (freshCA || !existsSync(paths.clientKey) || !existsSync(paths.clientCert) ||
      !certMatchesTool(readFileSync(paths.clientCert, 'utf8'), tool)) {
    const client = createClientCert(ca, tool)
    writePem(paths.clientKey, client.key, true)
    writePem(paths.clientCert, client.cert, false)
  }

  return paths
}
