import {expect} from 'chai'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {closedPort, fakeTerminalInput, fakeTty} from '../../helpers/stubs.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

describe('jobs flush', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => {
    tool.restore()
  })

  it('deletes all jobs without asking when not on a terminal, printing nothing (as upstream)', async () => {
    fakeTty(false)
    const scope = nock(API).delete(`${JOBS}/jobs`).reply(200, {messages: {}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'flush'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('')
    expect(scope.isDone()).to.equal(true)
  })

  it('on a terminal, asks about ALL jobs of the tool and keeps them on no', async () => {
    fakeTerminalInput('n\r')
    const scope = nock(API).delete(`${JOBS}/jobs`).reply(200, {messages: {}})
    const {exitCode, stderr} = await run(['jobs', 'flush'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('Delete ALL jobs of tool mytool?').and.include("ERROR: Aborting at user's request")
    expect(scope.isDone()).to.equal(false)
  })

  it('on a terminal, flushes after a yes', async () => {
    fakeTerminalInput('y\r')
    const scope = nock(API).delete(`${JOBS}/jobs`).reply(200, {messages: {}})
    const {exitCode, stderr} = await run(['jobs', 'flush'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.include('Delete ALL jobs of tool mytool? Yes')
    expect(scope.isDone()).to.equal(true)
  })

  it('on a terminal, --yes skips the question', async () => {
    fakeTty(true)
    const scope = nock(API).delete(`${JOBS}/jobs`).reply(200, {messages: {}})
    const {exitCode, stderr} = await run(['jobs', 'flush', '--yes'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(scope.isDone()).to.equal(true)
  })

  it('with --json never asks and prints {flushed: true}', async () => {
    fakeTty(true)
    nock(API).delete(`${JOBS}/jobs`).reply(200, {messages: {}})
    const {stdout, exitCode} = await run(['jobs', 'flush', '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal({flushed: true})
  })

  it('maps a 403 to exit 1', async () => {
    fakeTty(false)
    nock(API).delete(`${JOBS}/jobs`).reply(403, {error: ["missing 'x-toolforge-tool' header"]})
    const {stderr, exitCode} = await run(['jobs', 'flush'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal("ERROR: missing 'x-toolforge-tool' header\n")
  })

  it('maps a refused connection to exit 2 after retrying', async () => {
    fakeTty(false)
    nock.enableNetConnect('127.0.0.1')
    const port = await closedPort()
    tool.restore()
    tool = makeToolEnv({apiUrl: `http://127.0.0.1:${port}`})
    const {stderr, exitCode} = await run(['jobs', 'flush', '--debug'])
    nock.disableNetConnect()
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('retry 3 after ECONNREFUSED')
    expect(stderr).to.match(/ERROR: Unable to reach the jobs service at http:\/\/127\.0\.0\.1:\d+\/jobs\/v1\/tool\/mytool\/jobs \(ECONNREFUSED/)
  })
})
