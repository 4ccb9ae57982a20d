import {expect} from 'chai'
import nock from 'nock'

import {build, BUILDS, ID, toolEnv} from '../../build/fixtures.js'
import {run} from '../../helpers/run.js'
import {API, type ToolEnv} from '../../helpers/tool-env.js'

const WAITING = 'Waiting for the logs... if the build just started this might take a minute\n'

describe('build logs', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = toolEnv()
  })
  afterEach(() => tool.restore())

  it('prints the lines of the given build without following (follow=false)', async () => {
    nock(API).get(`${BUILDS}/builds/${ID}/logs`).query({follow: 'false'}).reply(200, '{"line": "one"}\n{"line": "two"}\n')
    const {stdout, stderr, exitCode} = await run(['build', 'logs', ID])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('one\ntwo\n')
    expect(stderr).to.equal(WAITING)
  })

  it('without an id follows the latest build with -f (follow=true)', async () => {
    nock(API).get(`${BUILDS}/builds/latest`).reply(200, {build: build(), messages: {}})
    nock(API).get(`${BUILDS}/builds/${ID}/logs`).query({follow: 'true'}).reply(200, '{"line": "done"}')
    const {stdout, exitCode} = await run(['build', 'logs', '-f'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('done\n')
  })

  it('reports "No builds exist yet." when there is no latest build', async () => {
    nock(API).get(`${BUILDS}/builds/latest`).reply(404, {error: ['No builds exist yet.']})
    const {stderr, exitCode} = await run(['build', 'logs'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('ERROR: No builds exist yet.\n')
  })

  it("shows the server's message for an unknown build", async () => {
    nock(API).get(`${BUILDS}/builds/nope/logs`).query(true).reply(404, {error: ["Unable to find build with id 'nope'"]})
    const {stderr, exitCode} = await run(['build', 'logs', 'nope'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal(`${WAITING}ERROR: Unable to find build with id 'nope'\n`)
  })

  it('shows a 500 from the log endpoint with exit 2', async () => {
    nock(API).get(`${BUILDS}/builds/${ID}/logs`).query(true).reply(500, {error: [`Error getting the logs for ${ID}: boom`]})
    const {stderr, exitCode} = await run(['build', 'logs', ID])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include(`ERROR: Error getting the logs for ${ID}: boom\n`)
  })

  it('reports a foreign build id as the server does (401, Q-BUILD-06 kept)', async () => {
    const message = "Build 'other-buildpacks-pipelinerun-1' does not exist or belong to tool 'mytool'. Double check the name and try again."
    nock(API).get(`${BUILDS}/builds/other-buildpacks-pipelinerun-1/logs`).query(true).reply(401, {error: [message]})
    const {stderr, exitCode} = await run(['build', 'logs', 'other-buildpacks-pipelinerun-1'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include(`ERROR: ${message}\n`)
  })
})
