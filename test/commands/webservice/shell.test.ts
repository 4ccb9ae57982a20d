import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {makeWebserviceEnv, type WebserviceEnv} from '../../webservice/env.js'
import {IMAGES_V1} from '../../webservice/image-config-fixture.js'
import {KubeStandIn} from '../../webservice/kube-stand-in.js'

/** Feeds `input` to the command as a piped (non-terminal) stdin. */
function pipeStdin(input: string): () => void {
  const saved = Object.getOwnPropertyDescriptor(process, 'stdin')
  const stream = new PassThrough()
  Object.defineProperty(process, 'stdin', {value: stream, configurable: true, writable: true})
  stream.end(input)
  return () => {
    if (saved) Object.defineProperty(process, 'stdin', saved)
  }
}

describe('webservice shell (HTTPS + websocket attach)', () => {
  let env: WebserviceEnv
  let k8s: KubeStandIn
  let restoreStdin: () => void = () => {}

  beforeEach(async () => {
    nock.enableNetConnect('127.0.0.1')
    env = makeWebserviceEnv()
    k8s = new KubeStandIn()
    const server = await k8s.start()
    const kubeconfig = join(env.home, '.kube/config')
    writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replace('https://k8s.example.test:6443', server))
  })

  afterEach(async () => {
    restoreStdin()
    await k8s.stop()
    env.restore()
    nock.disableNetConnect()
  })

  it('relays piped stdin and output, returns the exit code from the error channel, removes the pod', async () => {
    k8s.behaviour = {exitCode: 3}
    restoreStdin = pipeStdin('hello\nworld\n')
    const {stdout, exitCode} = await run(['webservice', 'python3.11', 'shell', '--uid', '50001', '--', 'cat'])
    expect(stdout).to.equal('hello\nworld\n')
    expect(exitCode).to.equal(3)

    const pod = k8s.created[0]
    const name = pod.metadata.name as string
    expect(name).to.match(/^shell-\d+$/)
    expect(pod.metadata.labels).to.include({name, 'app.kubernetes.io/component': 'webservice-interactive', 'app.kubernetes.io/managed-by': 'webservice'})
    const container = pod.spec.containers[0]
    expect(container).to.include({image: 'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest', tty: false, stdin: true, stdinOnce: true})
    expect(container.command).to.deep.equal(['cat'])
    expect(pod.spec.securityContext).to.include({runAsUser: 50001, runAsNonRoot: true})
    expect(container.securityContext).to.include({allowPrivilegeEscalation: false, runAsUser: 50001})

    // The cluster's types first (this stand-in has none to offer, so the built-in list is used).
    expect(k8s.calls.slice(0, 2)).to.deep.equal(['GET /api/v1/namespaces/tf-public/configmaps/image-config', 'POST /api/v1/namespaces/tool-mytool/pods'])
    expect(k8s.calls).to.include(`UPGRADE /api/v1/namespaces/tool-mytool/pods/${name}/attach`)
    expect(k8s.calls.at(-1)).to.equal(`DELETE /api/v1/namespaces/tool-mytool/pods/${name}`)
    expect(k8s.podNames).to.deep.equal([])
    expect(Object.fromEntries(k8s.attachQueries[0])).to.deep.equal({container: name, stdin: 'true', stdout: 'true', stderr: 'true', tty: 'false'})
    expect(k8s.protocols).to.deep.equal(['v5.channel.k8s.io'])
    // Every request carried the tool's client certificate.
    expect(new Set(k8s.clientNames)).to.deep.equal(new Set(['mytool']))
  })

  it('exits 0 on a Success status; the default command is a login bash', async () => {
    k8s.behaviour = {exitCode: 0}
    restoreStdin = pipeStdin('')
    const {exitCode} = await run(['webservice', 'shell', '--uid', '50001'])
    expect(exitCode).to.equal(0)
    expect(k8s.created[0].spec.containers[0].command).to.deep.equal(['/bin/bash', '-il'])
    expect(k8s.created[0].spec.containers[0].image).to.equal('docker-registry.tools.wmflabs.org/toolforge-php74-sssd-web:latest')
  })

  it("runs the image the cluster's image-config names, for a type only the cluster has", async () => {
    k8s.imageConfig = IMAGES_V1
    k8s.behaviour = {exitCode: 0}
    restoreStdin = pipeStdin('')
    const {stderr, exitCode} = await run(['webservice', 'jdk21', 'shell', '--uid', '50001', '--', 'java', '-version'])
    expect(exitCode, stderr).to.equal(0)
    const container = k8s.created[0].spec.containers[0]
    expect(container.image).to.equal('docker-registry.svc.toolforge.org/toolforge-jdk21-sssd-web:latest')
    expect(container.resources.limits.memory).to.equal('1Gi')
  })

  it("opens a login shell even when the webservice has stored extra arguments (upstream ran those); runs what is typed after --", async () => {
    env.writeManifest('backend: kubernetes\nweb: php8.2\nweb::extra_args: [echo, stored]\nversion: 4\n')
    k8s.behaviour = {exitCode: 0}
    restoreStdin = pipeStdin('')
    expect((await run(['webservice', 'shell', '--uid', '50001'])).exitCode).to.equal(0)
    expect(k8s.created[0].spec.containers[0].command).to.deep.equal(['/bin/bash', '-il'])
    restoreStdin()
    restoreStdin = pipeStdin('')
    expect((await run(['webservice', 'shell', '--uid', '50001', '--', 'echo', 'typed'])).exitCode).to.equal(0)
    expect(k8s.created[1].spec.containers[0].command).to.deep.equal(['echo', 'typed'])
  })

  it('without an exit status on the stream, takes it from the terminated container', async () => {
    k8s.behaviour = {terminatedExitCode: 7}
    restoreStdin = pipeStdin('x')
    const {exitCode} = await run(['webservice', 'php8.2', 'shell', '--uid', '50001', '--', 'false'])
    expect(exitCode).to.equal(7)
    expect(k8s.podNames).to.deep.equal([])
  })

  it('a command that finished before the attach still shows its output (from the log)', async () => {
    k8s.behaviour = {phase: 'Succeeded', terminatedExitCode: 0, log: 'token-1234\n'}
    restoreStdin = pipeStdin('')
    const {stdout, exitCode} = await run(['webservice', 'php7.4', 'shell', '--uid', '50001', '--', '--', 'echo', 'token-1234'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('token-1234\n')
    expect(k8s.created[0].spec.containers[0].command).to.deep.equal(['echo', 'token-1234'])
    expect(k8s.calls.some((c) => c.startsWith('UPGRADE'))).to.equal(false)
  })

  it('an image that cannot be pulled fails fast (exit 1) and the pod is removed', async () => {
    k8s.behaviour = {waitingReason: 'ImagePullBackOff'}
    restoreStdin = pipeStdin('')
    const {stderr, exitCode} = await run(['webservice', 'shell', '--uid', '50001'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('ERROR: The shell pod cannot start: ImagePullBackOff')
    expect(k8s.podNames).to.deep.equal([])
  })

  it('shows a refused attach verbatim (exit 1) and still removes the pod', async () => {
    const message = 'pods "shell-1" is forbidden: User "mytool" cannot create resource "pods/attach" in API group "" in the namespace "tool-mytool"'
    k8s.behaviour = {refuseAttach: {code: 403, message}}
    restoreStdin = pipeStdin('')
    const {stderr, exitCode} = await run(['webservice', 'shell', '--uid', '50001'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`ERROR: ${message}`)
    expect(k8s.podNames).to.deep.equal([])
  })

  it('ignores a backend mismatch, like upstream', async () => {
    env.writeManifest('backend: jobs-api\nversion: 4\n')
    k8s.behaviour = {exitCode: 0}
    restoreStdin = pipeStdin('')
    expect((await run(['webservice', '--backend=kubernetes', 'shell', '--uid', '50001'])).exitCode).to.equal(0)
  })
})
