import {expect} from 'chai'
import {generateKeyPairSync} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'

import forge from 'node-forge'
import {parse as parseYaml, stringify} from 'yaml'

import {freePort} from '../../src/sandbox/proxy.js'
import {e2eSandbox, type E2ESandbox, expectExit, startSandbox, stopSandbox} from '../helpers/sandbox-e2e.js'
import {runCli} from '../helpers/subprocess.js'

// What the sandbox gateway and admission refuse, as the user sees it through the CLI: a certificate it
// does not trust (401), a namespace of another tool (403), and a job the pod policy rejects (403).

interface Kubeconfig {
  clusters: Array<{cluster: Record<string, string>}>
  users: Array<{user: Record<string, string>}>
  contexts: Array<{context: Record<string, string>}>
}

/** A certificate that looks like a tool's (O=toolforge, CN=tf-test) but is signed by nobody the sandbox knows. */
function selfSignedToolCert(): {cert: string; key: string} {
  const {publicKey, privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({type: 'spki', format: 'pem'}).toString())
  cert.serialNumber = '01'
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 86_400_000)
  const subject = [{name: 'organizationName', value: 'toolforge'}, {name: 'commonName', value: 'tf-test'}]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  const signingKey = forge.pki.privateKeyFromPem(privateKey.export({type: 'pkcs1', format: 'pem'}).toString())
  cert.sign(signingKey, forge.md.sha256.create())
  return {cert: forge.pki.certificateToPem(cert), key: privateKey.export({type: 'pkcs8', format: 'pem'}).toString()}
}

describe('e2e sandbox: authentication and admission', function () {
  this.timeout(60_000)
  let sb: E2ESandbox
  let scratch: string

  /** The sandbox kubeconfig with absolute certificate paths, changed by `edit`, written to the scratch dir. */
  function kubeconfigVariant(name: string, edit: (config: Kubeconfig) => void): string {
    const original = sb.env.KUBECONFIG
    const config = parseYaml(readFileSync(original, 'utf8')) as Kubeconfig
    for (const {user} of config.users) {
      for (const key of ['client-certificate', 'client-key']) user[key] = resolve(dirname(original), user[key])
    }
    edit(config)
    const path = join(scratch, name)
    writeFileSync(path, stringify(config), {mode: 0o600})
    return path
  }

  before(async function () {
    this.timeout(60_000)
    sb = await e2eSandbox()
    scratch = mkdtempSync(join(tmpdir(), 'tf-e2e-security-'))
  })

  after(() => {
    if (scratch) rmSync(scratch, {recursive: true, force: true})
  })

  it('refuses a client certificate the sandbox did not issue: 401, exit 1', async () => {
    const {cert, key} = selfSignedToolCert()
    writeFileSync(join(scratch, 'rogue.crt'), cert)
    writeFileSync(join(scratch, 'rogue.key'), key, {mode: 0o600})
    const kubeconfig = kubeconfigVariant('rogue-config', (config) => {
      config.users[0].user = {'client-certificate': join(scratch, 'rogue.crt'), 'client-key': join(scratch, 'rogue.key')}
    })

    const env = {KUBECONFIG: kubeconfig}
    const results = await Promise.all([
      sb.tf(['jobs', 'list'], {env}),
      sb.tf(['jobs', 'run', 'e2e-rogue', '--image', 'bookworm', '--command', 'true'], {env}),
      sb.tf(['envvars', 'list'], {env}),
    ])
    for (const result of results) {
      expectExit(result, 1)
      expect(result.stdout).to.equal('')
      expect(result.stderr).to.equal('ERROR: Unauthorized: the client certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)\n')
    }
    expect(expectExit(await sb.tf(['jobs', 'list', '-o', 'name']), 0).stdout).to.not.include('e2e-rogue')
  })

  it("refuses a kubeconfig whose namespace is another tool's: 403, exit 1", async () => {
    const kubeconfig = kubeconfigVariant('other-tool-config', (config) => {
      config.contexts[0].context.namespace = 'tool-someone-else'
    })
    const env = {KUBECONFIG: kubeconfig}
    const [list, run, envvars] = await Promise.all([
      sb.tf(['jobs', 'list'], {env}),
      sb.tf(['jobs', 'run', 'e2e-intruder', '--image', 'bookworm', '--command', 'true'], {env}),
      sb.tf(['envvars', 'create', 'E2E_INTRUDER', 'x'], {env}),
    ])
    for (const result of [list, run, envvars]) {
      expectExit(result, 1)
      expect(result.stderr).to.equal("ERROR: Forbidden: the certificate of tool 'tf-test' does not give access to tool 'someone-else'\n")
    }
    const [names, vars] = await Promise.all([sb.tf(['jobs', 'list', '-o', 'name']), sb.tf(['envvars', 'list'])])
    expect(expectExit(names, 0).stdout).to.not.include('e2e-intruder')
    expect(expectExit(vars, 0).stdout).to.not.include('E2E_INTRUDER')
  })

  it('shows the pod policy refusal when the tool uid no longer matches its namespace policy, exit 1', async function () {
    this.timeout(120_000)
    // A sandbox of its own: the tool is set up with uid 50001, then the sandbox comes back believing the
    // tool is 50002, so every pod it builds breaks the policy written for 50001.
    const dataDir = mkdtempSync(join(tmpdir(), 'tf-e2e-policy-'))
    try {
      await startSandbox(dataDir, scratch, ['--uid', '50001'])
      await stopSandbox(dataDir, scratch)
      // --uid cannot do that: the data dir remembers the uid its tool was set up with.
      const refused = await runCli(['sandbox', 'start', '--data-dir', dataDir, '--port', String(await freePort()), '--uid', '50002'], {env: {HOME: scratch}})
      expectExit(refused, 1)
      expect(refused.stderr).to.include("ERROR: This sandbox's tool 'tf-test' was set up with uid 50001; start it without --uid")
      // Only its settings edited by hand can.
      const settings = join(dataDir, 'sandbox.json')
      writeFileSync(settings, JSON.stringify({...JSON.parse(readFileSync(settings, 'utf8')), uid: 50002}))
      const {env} = await startSandbox(dataDir, scratch)
      try {
        const cliEnv = {...env, HOME: scratch}
        const run = await runCli(['jobs', 'run', 'e2e-refused', '--image', 'python3.11', '--command', 'echo never'], {env: cliEnv})
        expectExit(run, 1)
        expect(run.stdout).to.equal('')
        const lines = run.stderr.trimEnd().split('\n')
        expect(lines[0]).to.equal(
          'ERROR: validation error: runAsUser must be 50001 (the uid of tool tf-test). rule toolforge-validate-pod-policy failed at path /spec/template/spec/securityContext/runAsUser/',
        )
        expect(lines.slice(1)).to.include(
          'validation error: runAsUser must be 50001 (the uid of tool tf-test). rule toolforge-validate-pod-policy failed at path /spec/template/spec/containers/0/securityContext/runAsUser/',
        )
        const list = await runCli(['jobs', 'list', '--json'], {env: cliEnv})
        expect(JSON.parse(expectExit(list, 0).stdout)).to.deep.equal({jobs: []})
      } finally {
        await stopSandbox(dataDir, scratch)
      }
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})
