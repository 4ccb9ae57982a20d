import {expect} from 'chai'
import nock from 'nock'

import {build, BUILDS, ID, ID2, IMAGE, REPO, toolEnv} from '../../build/fixtures.js'
import {run} from '../../helpers/run.js'
import {closedPort} from '../../helpers/stubs.js'
import {API, type ToolEnv} from '../../helpers/tool-env.js'

const RUNNING = build({
  build_id: ID2,
  status: 'BUILD_RUNNING',
  message: '',
  end_time: '',
  parameters: {source_url: REPO, envvars: {A_B: '1', CCC: 'x y'}, use_latest_versions: true},
  destination_image: 'tools-harbor.wmcloud.org/tool-mytool/web:latest',
})

const FORMATTED = {
  build_id: ID,
  start_time: '2026-05-13T10:00:00Z',
  end_time: '2026-05-13T10:03:12Z',
  status: 'ok',
  message: 'All Steps have completed executing',
  ref: 'main',
  envvars: ['N/A'],
  source_url: REPO,
  use_latest_versions: false,
  destination_image: IMAGE,
  resolved_ref: '4f0c5e2b1d7a9c3e8f6b0a2d4c6e8f0a1b3c5d7e',
  image_name: 'tool-mytool',
  use_deprecated_versions: false,
}

describe('build list', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = toolEnv()
  })
  afterEach(() => tool.restore())

  it('prints the upstream plain table, several envvars as one multi-line cell (rendered with tabulate 0.8.9)', async () => {
    nock(API).get(`${BUILDS}/builds`).reply(200, {builds: [build(), RUNNING], messages: {}})
    const {stdout, exitCode} = await run(['build', 'list'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      [
        'build_id                             status    start_time            end_time              source_url                                                                ref    envvars    use_latest_versions    destination_image',
        'mytool-buildpacks-pipelinerun-x7k2p  ok        2026-05-13T10:00:00Z  2026-05-13T10:03:12Z  https://gitlab.wikimedia.org/toolforge-repos/sample-static-buildpack-app  main   N/A        False                  tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest@sha256:0123abcd',
        'mytool-buildpacks-pipelinerun-abc12  running   2026-05-13T10:00:00Z  N/A                   https://gitlab.wikimedia.org/toolforge-repos/sample-static-buildpack-app  N/A    A_B=1      True                   tools-harbor.wmcloud.org/tool-mytool/web:latest',
        '                                                                                                                                                                            CCC=x y',
        '',
      ].join('\n'),
    )
  })

  it('prints a hint when there are no builds (Q-BUILD-04 typo fixed)', async () => {
    nock(API).get(`${BUILDS}/builds`).reply(200, {builds: [], messages: {}})
    const {stdout, exitCode} = await run(['build', 'list'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('No builds found, you can start one using `toolforge build start`, run `toolforge build start --help` for more details\n')
  })

  it('with --json keeps the upstream shape {messages, builds: [formatted]}', async () => {
    nock(API).get(`${BUILDS}/builds`).reply(200, {builds: [build()], messages: {info: ['hi']}})
    const {stdout, stderr} = await run(['build', 'list', '--json'])
    expect(JSON.parse(stdout)).to.deep.equal({messages: {info: ['hi']}, builds: [FORMATTED]})
    expect(stderr).to.equal('hi\n')
  })

  it('maps a 500 to exit 2 with the report line', async () => {
    nock(API).get(`${BUILDS}/builds`).reply(500, {error: ['Unable to list builds']})
    const {stderr, exitCode} = await run(['build', 'list'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('ERROR: Unable to list builds\nERROR: Please report this issue to the Toolforge admins if it persists: https://w.wiki/6Zuu\n')
  })

  it('maps a refused connection to exit 2, no stack trace', async () => {
    const port = await closedPort()
    nock.enableNetConnect('127.0.0.1')
    process.env.TOOL_TOOLFORGE_API_URL = `http://127.0.0.1:${port}`
    try {
      const {stderr, exitCode} = await run(['build', 'list'])
      expect(exitCode).to.equal(2)
      expect(stderr).to.include(
        `ERROR: The build service seems to be down – please retry in a few minutes. (Unable to reach http://127.0.0.1:${port}/builds/v1/tool/mytool/builds: ECONNREFUSED`,
      )
      expect(stderr).not.to.match(/\n\s+at /)
    } finally {
      nock.disableNetConnect()
    }
  })

  it('reports 502 as the build service being down', async () => {
    nock(API).get(`${BUILDS}/builds`).times(4).reply(502, 'Bad Gateway')
    const {stderr, exitCode} = await run(['build', 'list'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('ERROR: The build service seems to be down – please retry in a few minutes.')
  })
})

describe('build show', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = toolEnv()
  })
  afterEach(() => tool.restore())

  it('without an id shows the latest build with upstream labels', async () => {
    nock(API).get(`${BUILDS}/builds/latest`).reply(200, {build: RUNNING, messages: {}})
    const {stdout, exitCode} = await run(['build', 'show'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      [
        `Build ID: ${ID2}`,
        'Start Time: 2026-05-13T10:00:00Z',
        'End Time: N/A',
        'Status: running',
        'Message: ',
        'Parameters:',
        `    Source URL: ${REPO}`,
        '    Ref: N/A',
        '    Envvars: A_B=1',
        '             CCC=x y',
        'Use latest versions: True',
        'Destination Image: tools-harbor.wmcloud.org/tool-mytool/web:latest',
        '',
      ].join('\n'),
    )
  })

  it('shows a given build; `Status: ok` as the functional test greps', async () => {
    nock(API).get(`${BUILDS}/builds/${ID}`).reply(200, {build: build(), messages: {}})
    const {stdout} = await run(['build', 'show', ID])
    expect(stdout).to.include('\nStatus: ok\n').and.include('    Envvars: N/A\n')
  })

  it("with --json keeps {messages, build} so `jq '.build.destination_image'` works", async () => {
    nock(API).get(`${BUILDS}/builds/latest`).reply(200, {build: build(), messages: {}})
    const {stdout} = await run(['build', 'show', '--json'])
    expect(JSON.parse(stdout)).to.deep.equal({messages: {}, build: FORMATTED})
  })

  for (const [status, word] of [['BUILD_FAILURE', 'error'], ['BUILD_TIMEOUT', 'timeout'], ['BUILD_CANCELLED', 'cancelled'], ['BUILD_PENDING', 'pending'], ['BUILD_UNKNOWN', 'unknown']]) {
    it(`maps ${status} to "${word}"`, async () => {
      nock(API).get(`${BUILDS}/builds/${ID}`).reply(200, {build: build({status}), messages: {}})
      const {stdout} = await run(['build', 'show', ID])
      expect(stdout).to.include(`\nStatus: ${word}\n`)
    })
  }

  it('reports an unknown build with the server message (404, exit 1)', async () => {
    nock(API).get(`${BUILDS}/builds/nope`).reply(404, {error: ['Build with id nope not found.']})
    const {stderr, exitCode} = await run(['build', 'show', 'nope'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('ERROR: Build with id nope not found.\n')
  })
})
