import {expect} from 'chai'
import nock from 'nock'

import {build, BUILDS, ID, REPO, toolEnv} from '../build/fixtures.js'
import {run} from '../helpers/run.js'
import {API, type ToolEnv} from '../helpers/tool-env.js'

// Build-time envvars are secrets like envvars-API values: --debug traces builds bodies, but never them.

const SECRET = 'buildsecret99'

describe('--debug hides build-time envvar values', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = toolEnv()
  })
  afterEach(() => tool.restore())

  it('in the request and response bodies of build start, keeping the rest of the trace', async () => {
    const sent = {source_url: REPO, envvars: {TOKEN: SECRET, OTHER: 'x'}}
    nock(API)
      .post(`${BUILDS}/builds`, sent)
      .reply(200, {new_build: {name: ID, parameters: {source_url: REPO, envvars: {TOKEN: SECRET, OTHER: 'x'}}}, messages: {}})
    const {stdout, stderr, exitCode} = await run(['build', 'start', REPO, '-e', `TOKEN=${SECRET}`, '-e', 'OTHER=x', '--detach', '--debug'])
    expect(exitCode).to.equal(0)
    expect(stdout + stderr).not.to.include(SECRET)
    expect(stderr).to.include(`request body: {"source_url":"${REPO}","envvars":{"TOKEN":"<redacted>","OTHER":"<redacted>"}}`)
    expect(stderr).to.include(`response body: {"new_build":{"name":"${ID}","parameters":{"source_url":"${REPO}","envvars":{"TOKEN":"<redacted>","OTHER":"<redacted>"}}},"messages":{}}`)
  })

  it('in an error the API echoes, and in its messages', async () => {
    nock(API)
      .post(`${BUILDS}/builds`)
      .reply(400, {error: [`Invalid envvar value '${SECRET}'`], messages: {warning: [`ignoring ${SECRET}`]}})
    const {stdout, stderr, exitCode} = await run(['build', 'start', REPO, '-e', `TOKEN=${SECRET}`, '--detach', '--debug'])
    expect(exitCode).to.equal(1)
    expect(stdout + stderr).not.to.include(SECRET)
    expect(stderr).to.include("ERROR: Invalid envvar value '<redacted>'").and.include('WARNING: ignoring <redacted>')
  })

  it('in the builds a list returns', async () => {
    const listed = build({parameters: {source_url: REPO, envvars: {TOKEN: SECRET}}})
    nock(API).get(`${BUILDS}/builds`).reply(200, {builds: [listed], messages: {}})
    const {stderr, exitCode} = await run(['build', 'list', '--debug'])
    expect(exitCode).to.equal(0)
    expect(stderr).not.to.include(SECRET)
    expect(stderr).to.include('"envvars":{"TOKEN":"<redacted>"}').and.include(`"build_id":"${ID}"`)
  })

  it('leaves a body without envvars as it came', async () => {
    nock(API).get(`${BUILDS}/builds`).reply(200, '{"builds": [], "messages": {}}')
    const {stderr} = await run(['build', 'list', '--debug'])
    expect(stderr).to.include('response body: {"builds": [], "messages": {}}')
  })
})
