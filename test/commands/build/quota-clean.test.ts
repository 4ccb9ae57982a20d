import {expect} from 'chai'
import nock from 'nock'

import {BUILDS, toolEnv} from '../../build/fixtures.js'
import {run} from '../../helpers/run.js'
import {fakeTerminalInput} from '../../helpers/stubs.js'
import {API, type ToolEnv} from '../../helpers/tool-env.js'

const QUOTA = {
  quota: {categories: [{name: 'Registry', items: [{name: 'Storage', limit: '10.00Gi', used: '1.25Gi', available: '8.75Gi', capacity: '13%'}]}]},
  messages: {},
}

describe('build quota', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = toolEnv()
  })
  afterEach(() => tool.restore())

  it('prints the upstream layout', async () => {
    nock(API).get(`${BUILDS}/quotas`).reply(200, QUOTA)
    const {stdout, exitCode} = await run(['build', 'quota'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      ['Registry', '===================', 'Storage', '-----------', 'Limit        10.00Gi', 'Used         1.25Gi', 'Available    8.75Gi', 'Capacity     13%', '', ''].join('\n'),
    )
  })

  it('with --json prints the API response', async () => {
    nock(API).get(`${BUILDS}/quotas`).reply(200, QUOTA)
    const {stdout} = await run(['build', 'quota', '--json'])
    expect(JSON.parse(stdout)).to.deep.equal(QUOTA)
  })

  it('reports a 500 with exit 2', async () => {
    nock(API).get(`${BUILDS}/quotas`).reply(500, {error: ['Unable to get quota']})
    const {stderr, exitCode} = await run(['build', 'quota'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('ERROR: Unable to get quota\n')
  })
})

describe('build clean', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = toolEnv()
  })
  afterEach(() => {
    tool.restore()
  })

  it('posts /clean without a body and prints the server summary then the hint', async () => {
    const seen: unknown[] = []
    const scope = nock(API)
      .post(`${BUILDS}/clean`)
      .reply(200, {messages: {info: ['Deleted 3 artifacts from harbor repository tool-mytool/tool-mytool\n']}})
    scope.on('request', (_req, _interceptor, body: string) => seen.push(body))
    const {stdout, exitCode} = await run(['build', 'clean', '--yes-i-know'])
    expect(scope.isDone()).to.equal(true)
    expect(seen).to.deep.equal([''])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      'Deleted 3 artifacts from harbor repository tool-mytool/tool-mytool\nIf you still need more space, please contact a toolforge maintainer (https://w.wiki/6Zuu).\n',
    )
  })

  it('with --json prints {messages}', async () => {
    nock(API).post(`${BUILDS}/clean`).reply(200, {messages: {info: ['Nothing to clean up']}})
    const {stdout, stderr} = await run(['build', 'clean', '--json', '-y'])
    expect(JSON.parse(stdout)).to.deep.equal({messages: {info: ['Nothing to clean up']}})
    expect(stderr).to.equal('Nothing to clean up\n')
  })

  it('on a terminal asks with the upstream warning and stops on no', async () => {
    fakeTerminalInput('n\r')
    const scope = nock(API).post(`${BUILDS}/clean`).reply(200, {messages: {}})
    const {stderr, exitCode} = await run(['build', 'clean'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('NOTE: This will remove all your built images to clean up space')
    expect(scope.isDone()).to.equal(false)
  })

  it('without a terminal and without --yes-i-know cleans nothing', async () => {
    const scope = nock(API).post(`${BUILDS}/clean`).reply(200, {messages: {}})
    const {stderr, exitCode} = await run(['build', 'clean'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.match(/^ERROR: NOTE: This will remove all your built images.* Not confirmed \(there is no terminal to ask on\): pass --yes-i-know to go ahead\.\n$/)
    expect(scope.isDone()).to.equal(false)
  })

  it('reports a missing project as the server says (500, exit 2)', async () => {
    const message = 'Error cleaning up: the project tool-mytool does not exist, have you started a build yet?'
    nock(API).post(`${BUILDS}/clean`).reply(500, {error: [message]})
    const {stderr, exitCode} = await run(['build', 'clean', '--yes'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include(`ERROR: ${message}\n`)
  })
})
