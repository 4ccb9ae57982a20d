import {expect} from 'chai'
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {run} from '../helpers/run.js'
import {type FaultEnv, faultEnv, JOBS} from './env.js'
import {check} from './tally.js'
import {selfSigned} from './tls.js'

// A real HTTPS gateway on loopback: the certificate is verified when a CA is configured, and not
// otherwise (upstream's behaviour, Q-AUTH-01), which --debug says.

describe('reliability: TLS to the API gateway', () => {
  let dir: string
  let gateway: {cert: string; key: string}
  let stranger: {cert: string; key: string}
  let localhostOnly: {cert: string; key: string}
  let env: FaultEnv | undefined
  const caFile = (pem: string, name: string) => {
    const path = join(dir, name)
    writeFileSync(path, pem)
    return path
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tf-tls-'))
    gateway = selfSigned({commonName: 'api-gateway', ips: ['127.0.0.1']})
    stranger = selfSigned({commonName: 'someone-else', ips: ['127.0.0.1']})
    localhostOnly = selfSigned({commonName: 'localhost', dnsNames: ['localhost']})
  })
  after(() => rmSync(dir, {recursive: true, force: true}))
  afterEach(async () => {
    await env?.close()
    env = undefined
  })

  async function gatewayWith(server: {cert: string; key: string}, opts: Parameters<typeof faultEnv>[0] = {}): Promise<FaultEnv> {
    env = await faultEnv({...opts, tls: server})
    env.server.on('GET', `${JOBS}/jobs`, {status: 200, body: {jobs: []}})
    return env
  }

  it('the right CA (TOOLFORGE_CA_FILE): verified, mTLS with the tool certificate, exit 0', async () => {
    const {server} = await gatewayWith(gateway, {extraEnv: {TOOLFORGE_CA_FILE: caFile(gateway.cert, 'right.pem')}})
    const result = await run(['jobs', 'list', '--debug'])
    check(result, {exit: 0})
    expect(server.requests.map((r) => r.clientCN)).to.deep.equal(['mytool'])
    expect(result.stderr).not.to.include('NOT verified')
  })

  it('the right CA (api_gateway.ca_file in the config file): exit 0', async () => {
    await gatewayWith(gateway, {config: `api_gateway:\n  ca_file: ${caFile(gateway.cert, 'config.pem')}\n`})
    check(await run(['jobs', 'list']), {exit: 0})
  })

  it('a CA that did not sign the certificate: a clear TLS error, exit 2, nothing sent, no retry', async () => {
    const {server} = await gatewayWith(gateway, {extraEnv: {TOOLFORGE_CA_FILE: caFile(stranger.cert, 'wrong.pem')}})
    const result = await run(['jobs', 'list'])
    check(result, {exit: 2})
    expect(result.stderr.split('\n')[0]).to.match(
      new RegExp(`^ERROR: The jobs service at ${server.url.replaceAll('.', '\\.')}${JOBS}/jobs presented a certificate that the configured CA \\(api_gateway\\.ca_file / TOOLFORGE_CA_FILE\\) does not accept \\(\\w+: .+\\)$`),
    )
    expect(server.requests).to.deep.equal([])
    expect(server.connections()).to.equal(1)
  })

  it('a certificate for another host name: refused as well (exit 2), and said so', async () => {
    const {server} = await gatewayWith(localhostOnly, {extraEnv: {TOOLFORGE_CA_FILE: caFile(localhostOnly.cert, 'localhost.pem')}})
    const result = await run(['jobs', 'list'])
    check(result, {exit: 2})
    expect(result.stderr.split('\n')[0]).to.match(
      new RegExp(`^ERROR: The jobs service at ${server.url.replaceAll('.', '\\.')}${JOBS}/jobs presented a certificate issued for another host name \\(ERR_TLS_CERT_ALTNAME_INVALID: .+\\)$`),
    )
    expect(result.stderr).not.to.include('does not accept')
  })

  for (const [label, content] of [['a private key', 'key'], ['text', 'not a certificate\n'], ['empty', '']] as const) {
    it(`a CA file that holds no certificate (${label}): says so, exit 2, nothing sent`, async () => {
      const pem = content === 'key' ? gateway.key : content
      const {server} = await gatewayWith(gateway, {extraEnv: {TOOLFORGE_CA_FILE: caFile(pem, `no-cert-${label.replaceAll(' ', '-')}.pem`)}})
      const result = await run(['jobs', 'list'])
      check(result, {exit: 2})
      expect(result.stderr.split('\n')[0]).to.match(
        new RegExp(`^ERROR: The configured CA \\(api_gateway\\.ca_file / TOOLFORGE_CA_FILE\\) holds no PEM certificate, so the certificate of the jobs service at ${server.url.replaceAll('.', '\\.')}${JOBS}/jobs cannot be verified \\(\\w+: .+\\)$`),
      )
      expect(server.requests).to.deep.equal([])
    })
  }

  it('no CA configured: not verified (as upstream), works, and --debug says so', async () => {
    await gatewayWith(stranger)
    const result = await run(['jobs', 'list', '--debug'])
    check(result, {exit: 0})
    expect(result.stderr).to.match(/DEBUG: no CA configured \(api_gateway\.ca_file \/ TOOLFORGE_CA_FILE\): the server certificate is NOT verified/)
  })

  it('a CA file that does not exist: exit 1, named', async () => {
    await gatewayWith(gateway, {extraEnv: {TOOLFORGE_CA_FILE: join(dir, 'missing.pem')}})
    const result = await run(['jobs', 'list'])
    check(result, {exit: 1})
    expect(result.stderr).to.equal(`ERROR: Unable to read CA file ${join(dir, 'missing.pem')} (ENOENT)\n`)
  })

  describe('the client key file permissions', () => {
    for (const [mode, warned] of [[0o600, false], [0o400, false], [0o640, true], [0o644, true], [0o604, true]] as const) {
      it(`mode ${mode.toString(8)}: ${warned ? 'a warning naming the file, and the command still runs' : 'no warning'}`, async () => {
        const {tool} = await gatewayWith(gateway)
        const keyFile = join(tool.home, '.toolskube/client.key')
        chmodSync(keyFile, mode)
        const result = await run(['jobs', 'list'])
        check(result, {exit: 0})
        if (warned) expect(result.stderr).to.equal(`WARNING: the private key ${keyFile} is readable by other users; run 'chmod 600 ${keyFile}'\n`)
        else expect(result.stderr).to.equal('')
      })
    }
  })
})
