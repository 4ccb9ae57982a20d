import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {sandboxEnv, type SandboxInfo, startSandbox} from '../../../src/sandbox/control.js'
import {run} from '../../helpers/run.js'
import {allowLoopback, cleanup, tempDir} from '../../sandbox/helpers.js'
import {withEnv} from './env.js'

// `sandbox env` leaves HOME alone, so the user's own files stay theirs; `webservice` keeps its files in
// the tool home, which the sandbox names in TOOLFORGE_TOOL_HOME.
describe('webservice on the sandbox: the tool home is TOOLFORGE_TOOL_HOME', function () {
  this.timeout(60_000)
  let dataDir: string
  let userHome: string
  let info: SandboxInfo
  let env: Record<string, string>

  before(async () => {
    allowLoopback()
    dataDir = tempDir('tf-sandbox-ws-')
    userHome = tempDir('tf-sandbox-ws-home-')
    info = await startSandbox({dataDir, port: 0, foreground: true})
    env = {...sandboxEnv({dataDir}), TOOLFORGE_TOOL_HOME: join(dataDir, 'home', 'tf-test'), HOME: userHome}
  })
  beforeEach(allowLoopback)
  after(async () => {
    await info?.server?.close()
    cleanup(dataDir)
    cleanup(userHome)
  })

  it('php7.4 start finds public_html in the sandbox tool home and writes service.manifest there', async () => {
    const toolHome = env.TOOLFORGE_TOOL_HOME
    mkdirSync(join(toolHome, 'public_html'), {recursive: true})
    writeFileSync(join(toolHome, 'public_html', 'index.html'), '<h1>hi</h1>\n')

    const started = await withEnv(env, () => run(['webservice', 'php7.4', 'start']))
    expect(started.exitCode, started.stderr).to.equal(0)
    expect(started.stdout).to.match(/Your webservice is available at http:\/\/127\.0\.0\.1:\d+\n$/)
    expect(readFileSync(join(toolHome, 'service.manifest'), 'utf8')).to.match(/^web: php7\.4$/m)
    expect(existsSync(join(userHome, 'service.manifest'))).to.equal(false)

    const status = await withEnv(env, () => run(['webservice', 'status']))
    expect(status.stdout).to.match(/^Your webservice of type php7\.4 is running on backend jobs-api\n/)
    const stopped = await withEnv(env, () => run(['webservice', 'stop']))
    expect(stopped.exitCode, stopped.stderr).to.equal(0)
    expect(readFileSync(join(toolHome, 'service.manifest'), 'utf8')).to.not.match(/^web:/m)
  })
})
