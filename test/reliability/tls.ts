import {generateKeyPairSync, randomBytes} from 'node:crypto'

import forge from 'node-forge'

/** A self-signed server certificate (its own CA) for the given names, PEM. */
export function selfSigned(opts: {commonName: string; ips?: string[]; dnsNames?: string[]}): {cert: string; key: string} {
  // Node's key generation is instant where forge's pure-JS one takes seconds; forge signs with it fine.
  const {privateKey, publicKey} = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: {type: 'pkcs8', format: 'pem'},
    publicKeyEncoding: {type: 'spki', format: 'pem'},
  })
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey)
  const serial = randomBytes(8)
  serial[0] &= 0x7f
  cert.serialNumber = serial.toString('hex')
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 24 * 60 * 60 * 1000)
  const subject = [{name: 'commonName', value: opts.commonName}]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  const altNames = [...(opts.ips ?? []).map((ip) => ({type: 7, ip})), ...(opts.dnsNames ?? []).map((value) => ({type: 2, value}))]
  cert.setExtensions([
    {name: 'basicConstraints', cA: true, critical: true},
    {name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true},
    {name: 'extKeyUsage', serverAuth: true},
    {name: 'subjectAltName', altNames},
  ])
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create())
  return {cert: forge.pki.certificateToPem(cert), key: privateKey}
}
