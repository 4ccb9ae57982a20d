import {expect} from 'chai'
import nock from 'nock'

import {build, BUILDS, ID, IMAGE, REPO, toolEnv} from '../../build/fixtures.js'
import {run} from '../../helpers/run.js'
import {API, type ToolEnv} from '../../helpers/tool-env.js'

const NEW_BUILD = {name: ID, resolved_ref: '4f0c5e2b1d7a9c3e8f6b0a2d4c6e8f0a1b3c5d7e', parameters: {source_url: REPO, use_latest_versions: false, use_deprecated_versions: false}}
const LOGS = [`{"line": "[step-build] 2026-05-13T10:00:01Z Building"}`, `{"line": "[step-export] 2026-05-13T10:03:10Z Done"}`, ''].join('\n')

describe('build start', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = toolEnv()
  })
  afterEach(() => tool.restore())

  it('with --detach posts only the given parameters and prints upstream text', async () => {
    const scope = nock(API).post(`${BUILDS}/builds`, {source_url: REPO}).reply(200, {new_build: NEW_BUILD, messages: {warning: []}})
    const {stdout, stderr, exitCode} = await run(['build', 'start', REPO, '--detach'])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(`Building '${REPO}', build name is '${ID}'\nYou can see the status with:\n\ttoolforge build show\n`)
    expect(stderr).to.equal('')
  })

  it('sends ref, image name, envvars and version flags as the spec names them', async () => {
    const body = {
      source_url: REPO,
      ref: 'v2',
      image_name: 'web',
      envvars: {PYTHON_VERSION: '3.12', OPTS: 'a=b=c', EMPTY: ''},
      use_latest_versions: true,
      use_deprecated_versions: true,
    }
    const scope = nock(API).post(`${BUILDS}/builds`, body).reply(200, {new_build: NEW_BUILD, messages: {}})
    const {stderr, exitCode} = await run([
      'build', 'start', '--ref', 'v2', '-i', 'web', '-e', 'PYTHON_VERSION=3.12', '--envvar', 'OPTS=a=b=c', '-e', 'EMPTY=', REPO, '-L', '--use-deprecated-versions', '-D',
    ])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('WARNING: --use-deprecated-versions is ignored together with --use-latest-versions\n')
  })

  it('with --detach --json prints the start response', async () => {
    nock(API).post(`${BUILDS}/builds`).reply(200, {new_build: NEW_BUILD, messages: {warning: ['Using a deprecated version']}})
    const {stdout, stderr} = await run(['build', 'start', REPO, '--detach', '--json'])
    expect(JSON.parse(stdout)).to.deep.equal({messages: {warning: ['Using a deprecated version']}, new_build: NEW_BUILD})
    expect(stderr).to.equal('WARNING: Using a deprecated version\n')
  })

  it('follows the logs, then prints the image to use with jobs run', async () => {
    nock(API).post(`${BUILDS}/builds`).reply(200, {new_build: NEW_BUILD, messages: {}})
    nock(API).get(`${BUILDS}/builds/${ID}/logs`).query({follow: 'true'}).reply(200, LOGS)
    nock(API).get(`${BUILDS}/builds/${ID}`).reply(200, {build: build(), messages: {}})
    const {stdout, stderr, exitCode} = await run(['build', 'start', REPO])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      [
        `Building '${REPO}', build name is '${ID}'`,
        '[step-build] 2026-05-13T10:00:01Z Building',
        '[step-export] 2026-05-13T10:03:10Z Done',
        `Build '${ID}' succeeded.`,
        `Image: ${IMAGE}`,
        "Run it with: toolforge jobs run --image tool-mytool/tool-mytool:latest --command '<command>' <job-name>",
        '',
      ].join('\n'),
    )
    expect(stderr).to.equal('Waiting for the logs... if the build just started this might take a minute\n')
  })

  it('with --json streams the logs to stderr and prints the final build on stdout (Q-BUILD-03)', async () => {
    nock(API).post(`${BUILDS}/builds`).reply(200, {new_build: NEW_BUILD, messages: {}})
    nock(API).get(`${BUILDS}/builds/${ID}/logs`).query({follow: 'true'}).reply(200, LOGS)
    nock(API).get(`${BUILDS}/builds/${ID}`).reply(200, {build: build(), messages: {}})
    const {stdout, stderr, exitCode} = await run(['build', 'start', REPO, '--json'])
    expect(exitCode).to.equal(0)
    const doc = JSON.parse(stdout)
    expect(doc.new_build).to.deep.equal(NEW_BUILD)
    expect(doc.build.destination_image).to.equal(IMAGE)
    expect(doc.build.status).to.equal('ok')
    expect(stderr).to.include('[step-build] 2026-05-13T10:00:01Z Building\n').and.include(`build name is '${ID}'`)
  })

  it('exits 1 with the server message when the build failed, and still prints JSON under --json', async () => {
    const failed = build({status: 'BUILD_FAILURE', message: `Build failed. Check the logs with \`toolforge build logs ${ID}\``, destination_image: ''})
    nock(API).post(`${BUILDS}/builds`).reply(200, {new_build: NEW_BUILD, messages: {}})
    nock(API).get(`${BUILDS}/builds/${ID}/logs`).query(true).reply(200, LOGS)
    nock(API).get(`${BUILDS}/builds/${ID}`).reply(200, {build: failed, messages: {}})
    const {stdout, stderr, exitCode} = await run(['build', 'start', REPO, '--json'])
    expect(exitCode).to.equal(1)
    expect(JSON.parse(stdout).build.status).to.equal('error')
    expect(JSON.parse(stderr.trim().split('\n').at(-1) ?? '')).to.deep.equal({
      error: {message: `Build '${ID}' failed: Build failed. Check the logs with \`toolforge build logs ${ID}\``, exit_code: 1},
    })
  })

  for (const [status, text] of [['BUILD_TIMEOUT', 'timed out'], ['BUILD_CANCELLED', 'was cancelled']]) {
    it(`exits 1 when the build ends with ${status}`, async () => {
      nock(API).post(`${BUILDS}/builds`).reply(200, {new_build: NEW_BUILD, messages: {}})
      nock(API).get(`${BUILDS}/builds/${ID}/logs`).query(true).reply(200, '')
      nock(API).get(`${BUILDS}/builds/${ID}`).reply(200, {build: build({status, message: 'stopped'}), messages: {}})
      const {stdout, stderr, exitCode} = await run(['build', 'start', REPO])
      expect(exitCode).to.equal(1)
      expect(stdout).not.to.include('succeeded')
      expect(stderr).to.include(`ERROR: Build '${ID}' ${text}: stopped\n`)
    })
  }

  it('fails with the server message when the log stream reports an error record', async () => {
    nock(API).post(`${BUILDS}/builds`).reply(200, {new_build: NEW_BUILD, messages: {}})
    nock(API)
      .get(`${BUILDS}/builds/${ID}/logs`)
      .query(true)
      .reply(200, `{"line": "first"}\n{"message": "Error getting the logs for ${ID}: timed out waiting for pipelinerun to start"}\n`)
    const {stdout, stderr, exitCode} = await run(['build', 'start', REPO])
    expect(exitCode).to.equal(2)
    expect(stdout).to.include('first\n')
    expect(stderr).to.include(`ERROR: Error getting the logs for ${ID}: timed out waiting for pipelinerun to start\n`)
  })

  it('without a URL prints the upstream hint and exits 1, sending nothing', async () => {
    const {stderr, exitCode} = await run(['build', 'start'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal(
      "ERROR: Please provide a git url for your source code.\nExample: toolforge build start 'https://gitlab.wikimedia.org/toolforge-repos/my-tool'\n",
    )
  })

  it('refuses -e without = as a usage error (Q-BUILD-02), sending nothing', async () => {
    const {stderr, exitCode} = await run(['build', 'start', REPO, '-e', 'FOO'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include("ERROR: Invalid --envvar 'FOO': expected NAME=value (e.g. -e PYTHON_VERSION=3.12)\n")
  })

  it('validates build-time envvar names with the server rule and message', async () => {
    const {stderr, exitCode} = await run(['build', 'start', REPO, '-e', '1X=2'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal(
      "ERROR: Not valid environment variables passed: not valid environment variable name, must match '^[A-Za-z_][A-Za-z_0-9]{2,}$', got '1X'\n",
    )
  })

  const ERRORS: [number, unknown, number, string][] = [
    [400, {error: [`Failed to resolve ref nope, maybe the repository ${REPO} is not public? Error: exit status 128`]}, 1, `ERROR: Failed to resolve ref nope, maybe the repository ${REPO} is not public? Error: exit status 128\n`],
    [400, 'Bad parameters passed: code=400, message=Syntax error', 1, 'ERROR: Bad parameters passed: code=400, message=Syntax error\n'],
    [409, {error: ['Got too many builds running (4 out of 4 max), cancel some or wait for them to finish']}, 1, 'ERROR: Got too many builds running (4 out of 4 max), cancel some or wait for them to finish\n'],
    [500, {error: ['Failed to create the pipelinerun']}, 2, 'ERROR: Failed to create the pipelinerun\n'],
  ]
  for (const [status, body, exit, message] of ERRORS) {
    it(`reports HTTP ${status} ${JSON.stringify(body).slice(0, 40)}… with exit ${exit}`, async () => {
      nock(API).post(`${BUILDS}/builds`).reply(status, JSON.stringify(body), {'content-type': 'application/json'})
      const {stderr, exitCode} = await run(['build', 'start', REPO, '--ref', 'nope'])
      expect(exitCode).to.equal(exit)
      expect(stderr.startsWith(message)).to.equal(true, stderr)
      expect(stderr).not.to.match(/\n\s+at /)
    })
  }

  it('does not retry a start (not idempotent) and reports the service as down on 502', async () => {
    const scope = nock(API).post(`${BUILDS}/builds`).once().reply(502, '<html>Bad Gateway</html>')
    const {stderr, exitCode} = await run(['build', 'start', REPO])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('ERROR: The build service seems to be down – please retry in a few minutes.')
  })
})
