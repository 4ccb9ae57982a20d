import {expect} from 'chai'
import nock from 'nock'

import {build, BUILDS, ID, ID2, toolEnv} from '../../build/fixtures.js'
import {run} from '../../helpers/run.js'
import {fakeTerminalInput} from '../../helpers/stubs.js'
import {API, type ToolEnv} from '../../helpers/tool-env.js'

const ID3 = 'mytool-buildpacks-pipelinerun-zzz99'

describe('build cancel', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = toolEnv()
  })
  afterEach(() => {
    tool.restore()
  })

  it('cancels each given build with PUT …/cancel', async () => {
    const scope = nock(API)
      .put(`${BUILDS}/builds/${ID}/cancel`)
      .reply(200, {id: ID, messages: {}})
      .put(`${BUILDS}/builds/${ID2}/cancel`)
      .reply(200, {id: ID2, messages: {}})
    const {stdout, exitCode} = await run(['build', 'cancel', ID, ID2, '--yes-i-know'])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Cancelled 2 builds\n')
  })

  it('--all cancels every pending or running build, and only those (Q-BUILD-01 fixed)', async () => {
    nock(API)
      .get(`${BUILDS}/builds`)
      .reply(200, {builds: [build({status: 'BUILD_RUNNING'}), build({build_id: ID2, status: 'BUILD_SUCCESS'}), build({build_id: ID3, status: 'BUILD_PENDING'})], messages: {}})
    const scope = nock(API).put(`${BUILDS}/builds/${ID}/cancel`).reply(200, {id: ID}).put(`${BUILDS}/builds/${ID3}/cancel`).reply(200, {id: ID3})
    const {stdout, exitCode} = await run(['build', 'cancel', '--all', '-y'])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Cancelled 2 builds\n')
  })

  it('reports each failure, goes on with the others and exits 1', async () => {
    nock(API)
      .put(`${BUILDS}/builds/${ID}/cancel`)
      .reply(409, {error: [`Build ${ID} cannot be cancelled because it has already completed`]})
      .put(`${BUILDS}/builds/nope/cancel`)
      .reply(404, {error: ['Build with id nope not found']})
      .put(`${BUILDS}/builds/${ID2}/cancel`)
      .reply(200, {id: ID2})
    const {stdout, stderr, exitCode} = await run(['build', 'cancel', ID, 'nope', ID2, '--yes'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('Cancelled 1 builds\n')
    expect(stderr).to.equal(
      [
        `ERROR: Build ${ID} cannot be cancelled because it has already completed`,
        'ERROR: Build with id nope not found',
        'ERROR: 2 of 3 builds could not be cancelled',
        '',
      ].join('\n'),
    )
  })

  it('exits 2 when a failure was the server’s', async () => {
    nock(API).put(`${BUILDS}/builds/${ID}/cancel`).times(4).reply(503, 'unavailable')
    const {stderr, exitCode} = await run(['build', 'cancel', ID, '-y'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include(`ERROR: ${ID}: The build service seems to be down – please retry in a few minutes.`)
  })

  it('without ids or --all prints the upstream hint, exit 1', async () => {
    const {stderr, exitCode} = await run(['build', 'cancel'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('ERROR: No build passed to cancel.\nExample: toolforge build cancel <build-id>\n')
  })

  it('refuses ids together with --all as a usage error', async () => {
    const {stderr, exitCode} = await run(['build', 'cancel', ID, '--all'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('ERROR: Pass either build ids or --all to cancel, not both.\n')
  })

  it('on a terminal asks first and does nothing on no', async () => {
    fakeTerminalInput('n\r')
    const scope = nock(API).put(`${BUILDS}/builds/${ID}/cancel`).reply(200, {id: ID})
    const {stderr, exitCode} = await run(['build', 'cancel', ID])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include("I'm going to cancel 1 builds, continue?").and.include("ERROR: Aborting at user's request")
    expect(scope.isDone()).to.equal(false)
  })
})

describe('build delete', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = toolEnv()
  })
  afterEach(() => {
    tool.restore()
  })

  it('--all deletes every build, whatever its status', async () => {
    nock(API).get(`${BUILDS}/builds`).reply(200, {builds: [build({status: 'BUILD_RUNNING'}), build({build_id: ID2})], messages: {}})
    const scope = nock(API).delete(`${BUILDS}/builds/${ID}`).reply(200, {id: ID, messages: {}}).delete(`${BUILDS}/builds/${ID2}`).reply(200, {id: ID2, messages: {}})
    const {stdout, exitCode} = await run(['build', 'delete', '--all', '--yes-i-know'])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Deleted 2 builds\n')
  })

  it('--all with no builds deletes nothing and does not ask', async () => {
    fakeTerminalInput('')
    nock(API).get(`${BUILDS}/builds`).reply(200, {builds: [], messages: {}})
    const {stdout, stderr, exitCode} = await run(['build', 'delete', '--all'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Deleted 0 builds\n')
    expect(stderr).to.equal('')
  })

  it('on a terminal deletes after a yes', async () => {
    fakeTerminalInput('y\r')
    const scope = nock(API).delete(`${BUILDS}/builds/${ID}`).reply(200, {id: ID, messages: {}})
    const {stdout, stderr, exitCode} = await run(['build', 'delete', ID])
    expect(stderr).to.include("I'm going to delete 1 builds, continue? Yes")
    expect(exitCode).to.equal(0)
    expect(scope.isDone()).to.equal(true)
    expect(stdout).to.equal('Deleted 1 builds\n')
  })

  it('without a terminal and without --yes-i-know deletes nothing (upstream aborts when its prompt reads end of input)', async () => {
    const scope = nock(API).get(`${BUILDS}/builds`).reply(200, {builds: [build()], messages: {}}).delete(`${BUILDS}/builds/${ID}`).reply(200, {id: ID, messages: {}})
    const {stdout, stderr, exitCode} = await run(['build', 'delete', '--all'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal("ERROR: I'm going to delete 1 builds, continue? Not confirmed (there is no terminal to ask on): pass --yes-i-know to go ahead.\n")
    expect(scope.pendingMocks()).to.deep.equal([`DELETE ${API}${BUILDS}/builds/${ID}`])
  })

  it('with --json and without --yes-i-know deletes nothing', async () => {
    const scope = nock(API).delete(`${BUILDS}/builds/${ID}`).reply(200, {id: ID, messages: {}})
    const {stdout, stderr, exitCode} = await run(['build', 'delete', ID, '--json'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(JSON.parse(stderr).error.message).to.include('Not confirmed (--json never asks): pass --yes-i-know to go ahead.')
    expect(scope.isDone()).to.equal(false)
  })

  it('reports a 404 and exits 1', async () => {
    nock(API).delete(`${BUILDS}/builds/nope`).reply(404, {error: ['Build with id nope not found']})
    const {stdout, stderr, exitCode} = await run(['build', 'delete', 'nope', '-y'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('Deleted 0 builds\n')
    expect(stderr).to.equal('ERROR: Build with id nope not found\nERROR: 1 of 1 builds could not be deleted\n')
  })

  it('without ids or --all prints the upstream hint, exit 1', async () => {
    const {stderr, exitCode} = await run(['build', 'delete'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('ERROR: No build passed to delete.\nExample: toolforge build delete <build-id>\n')
  })
})
