import {expect} from 'chai'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {fakeTerminalInput, fakeTty} from '../../helpers/stubs.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

describe('jobs delete', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => {
    tool.restore()
  })

  it('deletes without asking when not on a terminal, printing nothing (as upstream)', async () => {
    fakeTty(false)
    const scope = nock(API).delete(`${JOBS}/jobs/myjob`).reply(200, {messages: {}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'delete', 'myjob'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('')
    expect(scope.isDone()).to.equal(true)
  })

  it('prints the API messages (info on stdout, warnings on stderr)', async () => {
    fakeTty(false)
    nock(API).delete(`${JOBS}/jobs/myjob`).reply(200, {messages: {info: ['Job myjob deleted'], warning: ['slow pods']}})
    const {stdout, stderr} = await run(['jobs', 'delete', 'myjob'])
    expect(stdout).to.equal('Job myjob deleted\n')
    expect(stderr).to.equal('WARNING: slow pods\n')
  })

  it('on a terminal, --yes skips the question', async () => {
    fakeTty(true)
    const scope = nock(API).delete(`${JOBS}/jobs/myjob`).reply(200, {messages: {}})
    const {exitCode, stderr} = await run(['jobs', 'delete', 'myjob', '-y'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(scope.isDone()).to.equal(true)
  })

  it('on a terminal, asks first and deletes nothing when the answer is no', async () => {
    fakeTerminalInput('n\r')
    const scope = nock(API).delete(`${JOBS}/jobs/myjob`).reply(200, {messages: {}})
    const {exitCode, stderr} = await run(['jobs', 'delete', 'myjob'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include("Delete job 'myjob' of tool mytool?")
    expect(stderr).to.include("ERROR: Aborting at user's request")
    expect(scope.isDone()).to.equal(false)
  })

  it('on a terminal, deletes after a yes', async () => {
    fakeTerminalInput('y\r')
    const scope = nock(API).delete(`${JOBS}/jobs/myjob`).reply(200, {messages: {}})
    const {exitCode, stderr} = await run(['jobs', 'delete', 'myjob'])
    expect(stderr).to.include("Delete job 'myjob' of tool mytool? Yes")
    expect(exitCode).to.equal(0)
    expect(scope.isDone()).to.equal(true)
  })

  it('with --json never asks and prints {deleted: [name]}', async () => {
    fakeTty(true)
    nock(API).delete(`${JOBS}/jobs/myjob`).reply(200, {messages: {info: ['done']}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'delete', 'myjob', '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal({deleted: ['myjob']})
    expect(stderr).to.equal('done\n')
  })

  it('reports a missing job (exit 1)', async () => {
    fakeTty(false)
    nock(API).delete(`${JOBS}/jobs/nope`).reply(404, {error: ["Job 'nope' does not exist"]})
    const {stdout, stderr, exitCode} = await run(['jobs', 'delete', 'nope'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal("ERROR: Job 'nope' does not exist\n")
  })

  it('retries a 502 (DELETE is idempotent) and succeeds', async () => {
    fakeTty(false)
    const scope = nock(API).delete(`${JOBS}/jobs/myjob`).reply(502, 'Bad Gateway').delete(`${JOBS}/jobs/myjob`).reply(200, {messages: {}})
    const {exitCode} = await run(['jobs', 'delete', 'myjob'])
    expect(exitCode).to.equal(0)
    expect(scope.isDone()).to.equal(true)
  })

  it('maps a 500 to exit 2 with the report line', async () => {
    fakeTty(false)
    nock(API).delete(`${JOBS}/jobs/myjob`).reply(500, {error: ['Unknown error (etcd timeout)']})
    const {stderr, exitCode} = await run(['jobs', 'delete', 'myjob'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal(
      'ERROR: Unknown error (etcd timeout)\nERROR: Please report this issue to the Toolforge admins if it persists: https://w.wiki/6Zuu\n',
    )
  })

  it('URL-encodes the job name', async () => {
    fakeTty(false)
    const scope = nock(API).delete(`${JOBS}/jobs/a%2Fb`).reply(200, {messages: {}})
    await run(['jobs', 'delete', 'a/b'])
    expect(scope.isDone()).to.equal(true)
  })
})
