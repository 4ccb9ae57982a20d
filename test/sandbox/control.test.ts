import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'

import {parse} from 'yaml'

import {
  defaultDataDir, resetSandbox, SandboxError, sandboxEnv, sandboxStatus, startSandbox, stopSandbox,
} from '../../src/sandbox/control.js'
import {freePort} from '../../src/sandbox/proxy.js'
import {allowLoopback, cleanup, processAlive, rejection, tempDir} from './helpers.js'

describe('sandbox control', () => {
  beforeEach(allowLoopback)

  it('picks the data dir from the environment', () => {
    expect(defaultDataDir({TOOLFORGE_SANDBOX_DIR: '/x', XDG_DATA_HOME: '/y'})).to.equal('/x')
    expect(defaultDataDir({XDG_DATA_HOME: '/y'})).to.equal('/y/toolforge/sandbox')
    expect(defaultDataDir({})).to.match(/\/\.local\/share\/toolforge\/sandbox$/)
  })

  it('starts in the background, reports status and env, refuses a second start, stops', async function () {
    this.timeout(40_000)
    const dataDir = tempDir()
    const port = await freePort()
    try {
      const info = await startSandbox({dataDir, port})
      expect(info).to.include({port, url: `https://127.0.0.1:${port}`, tool: 'tf-test'})
      const kube = parse(readFileSync(info.kubeconfig, 'utf8'))
      expect(kube['current-context']).to.equal('toolforge')
      expect(kube.contexts[0].context.namespace).to.equal('tool-tf-test')
      expect(kube.users[0].user['client-certificate']).to.equal('../toolskube/client.crt')
      expect(kube.clusters[0].cluster.server).to.equal(info.url)
      expect(statSync(join(dataDir, 'toolskube', 'client.key')).mode & 0o777).to.equal(0o600)
      expect(parse(readFileSync(info.configFile, 'utf8'))).to.deep.equal({api_gateway: {url: info.url, ca_file: info.caFile}})

      const status = await sandboxStatus({dataDir})
      expect(status).to.include({running: true, port, healthy: true, tool: 'tf-test'})
      expect(sandboxEnv({dataDir})).to.deep.equal({KUBECONFIG: info.kubeconfig, TOOL_TOOLFORGE_API_URL: info.url, TOOLFORGE_CA_FILE: info.caFile,
        TOOLFORGE_TOOL_HOME: join(dataDir, 'home', 'tf-test'), TOOLFORGE_SANDBOX: dataDir})
      expect(info).to.include({uid: 50001, toolHome: join(dataDir, 'home', 'tf-test')})

      const twice = await rejection(startSandbox({dataDir, port}))
      expect(twice).to.be.instanceOf(SandboxError)
      expect(twice.message).to.match(/^The sandbox is already running \(pid \d+, port \d+/)

      // A running job must not outlive the sandbox.
      const {clientFor, waitFor} = await import('./helpers.js')
      const client = clientFor(port, {cert: readFileSync(join(dataDir, 'toolskube', 'client.crt')), key: readFileSync(join(dataDir, 'toolskube', 'client.key'))}, readFileSync(info.caFile))
      const created = await client.call('POST', '/jobs/v1/tool/tf-test/jobs/', {name: 'bg', cmd: 'sleep 300 & echo $! > bg.pid; wait', imagename: 'bookworm', continuous: true})
      expect(created.status).to.equal(201)
      const pidPath = join(dataDir, 'home', 'tf-test', 'bg.pid')
      await waitFor(() => (existsSync(pidPath) && readFileSync(pidPath, 'utf8').trim() !== '') || undefined)
      const child = Number(readFileSync(pidPath, 'utf8'))

      const stopped = await stopSandbox({dataDir})
      expect(processAlive(child)).to.equal(false)
      expect(stopped.killed).to.equal(false)
      expect((await sandboxStatus({dataDir})).running).to.equal(false)
      expect((await rejection(stopSandbox({dataDir}))).message).to.equal('The sandbox is not running')
    } finally {
      await stopSandbox({dataDir}).catch(() => undefined)
      cleanup(dataDir)
    }
  })

  it('detects and cleans a stale pid file', async () => {
    const dataDir = tempDir()
    try {
      const dead = spawnSync('true').pid
      writeFileSync(join(dataDir, 'sandbox.pid'), JSON.stringify({pid: dead, port: 1, url: 'https://127.0.0.1:1', tool: 'tf-test', uid: 50001, started: 'x'}))
      expect(await sandboxStatus({dataDir})).to.deep.equal({dataDir, running: false, stalePid: dead})
      expect(existsSync(join(dataDir, 'sandbox.pid'))).to.equal(false)
      writeFileSync(join(dataDir, 'sandbox.pid'), JSON.stringify({pid: dead, port: 1, url: 'x', tool: 'tf-test', uid: 50001, started: 'x'}))
      expect((await rejection(stopSandbox({dataDir}))).message).to.equal(`The sandbox is not running (removed a stale pid file for pid ${dead})`)
    } finally {
      cleanup(dataDir)
    }
  })

  it('refuses a port that is in use', async () => {
    const dataDir = tempDir()
    const blocker = createServer()
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as {port: number}).port)))
    try {
      const error = await rejection(startSandbox({dataDir, port}))
      expect(error).to.be.instanceOf(SandboxError)
      expect(error.message).to.equal(`Port ${port} is already in use on 127.0.0.1; choose another one with --port`)
    } finally {
      blocker.close()
      cleanup(dataDir)
    }
  })

  it('runs in the foreground and resets state', async () => {
    const dataDir = tempDir()
    try {
      const info = await startSandbox({dataDir, port: 0, foreground: true})
      expect(info.server).to.not.equal(undefined)
      expect(info.pid).to.equal(process.pid)
      expect((await sandboxStatus({dataDir})).healthy).to.equal(true)
      await info.server!.close()
      expect(existsSync(join(dataDir, 'state.sqlite'))).to.equal(true)
      const reset = await resetSandbox({dataDir})
      expect(reset.stopped).to.equal(false)
      for (const entry of ['state.sqlite', 'home', 'certs', 'kube', 'toolforge.yaml', 'sandbox.json']) expect(existsSync(join(dataDir, entry)), entry).to.equal(false)
      expect(() => sandboxEnv({dataDir})).to.throw(SandboxError, /has not been started yet/)
    } finally {
      cleanup(dataDir)
    }
  })
})
