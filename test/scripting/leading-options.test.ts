import {expect} from 'chai'

import {type RecordingServer, runCli, sendJson, startRecordingServer} from '../helpers/subprocess.js'
import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

// Upstream takes -d/--debug and -v/--verbose before the command (`toolforge --debug jobs list`,
// `toolforge build -d list`); scripts and habits written for it must run the command, not print a
// topic's help and exit 0.

describe('command lines the upstream CLIs accept or refuse (the built CLI)', function () {
  this.timeout(60_000)
  let tool: ToolEnv
  let server: RecordingServer
  before(async () => {
    server = await startRecordingServer((request, res) => {
      if (request.url.includes('/builds')) sendJson(res, 200, {builds: [], messages: {}})
      else sendJson(res, 200, {jobs: [], messages: {}})
    })
  })
  after(() => server.close())
  beforeEach(() => {
    tool = makeToolEnv({apiUrl: server.url})
    server.requests.length = 0
  })
  afterEach(() => tool.restore())

  for (const args of [['--debug', 'jobs', 'list'], ['-d', 'jobs', 'list'], ['jobs', '--debug', 'list'], ['build', '-d', 'list'], ['-v', 'build', '--debug', 'list']]) {
    it(`toolforge ${args.join(' ')} runs the command with debug output`, async () => {
      const {stdout, stderr, exitCode} = await runCli(args, {env: tool.env})
      expect(exitCode, stderr).to.equal(0)
      expect(stdout).to.not.include('USAGE')
      expect(stderr).to.match(/GET http:\/\/127\.0\.0\.1:\d+\/(jobs|builds)\/v1\/tool\/mytool\//)
      expect(server.requests).to.have.length(1)
    })
  }

  it('--verbose alone changes nothing but is accepted', async () => {
    const {stderr, exitCode} = await runCli(['--verbose', 'jobs', 'list'], {env: tool.env})
    expect(exitCode, stderr).to.equal(0)
    expect(stderr).to.equal('')
    expect(server.requests).to.have.length(1)
  })

  it('a word after a command without arguments is a usage error (exit 2), in JSON under --json', async () => {
    const plain = await runCli(['jobs', 'list', 'extra'], {env: tool.env})
    expect(plain.exitCode).to.equal(2)
    expect(plain.stderr).to.include('Unexpected argument: extra').and.not.include('not found')
    const json = await runCli(['jobs', 'list', 'extra', '--json'], {env: tool.env})
    expect(json.exitCode).to.equal(2)
    expect(JSON.parse(json.stderr).error).to.deep.include({exit_code: 2})
    expect(server.requests).to.have.length(0)
  })

  it('an option between a topic and its command is a usage error (exit 2), not the topic help with exit 0', async () => {
    const plain = await runCli(['jobs', '--bogus', 'list'], {env: tool.env})
    expect(plain.exitCode).to.equal(2)
    expect(plain.stdout).to.equal('')
    expect(plain.stderr).to.equal("ERROR: --bogus goes after the command: toolforge jobs <command> --bogus … (see 'toolforge jobs --help')\n")
    const json = await runCli(['jobs', '--json', 'delete', 'x'], {env: tool.env})
    expect(json.exitCode).to.equal(2)
    expect(JSON.parse(json.stderr).error).to.deep.include({exit_code: 2})
    expect(server.requests).to.have.length(0)
  })

  it('a lone -v is still the version', async () => {
    const {stdout, exitCode} = await runCli(['-v'], {env: tool.env})
    expect(exitCode).to.equal(0)
    expect(stdout).to.match(/^toolforge\/\S+ /)
  })
})
