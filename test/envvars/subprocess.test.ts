import {expect} from 'chai'
import nock from 'nock'

import {type RecordingServer, runCli, sendJson, startRecordingServer} from '../helpers/subprocess.js'
import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

const PATH = '/envvars/v1/tool/mytool'
const SECRET = 'pa$$w0rd-\u00E9\u00E8-\u{1F511}-never-print-me'

/** A tiny envvars API: stores what it is sent and answers like the real one. */
async function envvarsServer(): Promise<RecordingServer> {
  const store = new Map<string, string>([['EXISTING', SECRET]])
  return startRecordingServer((request, res) => {
    if (request.method === 'POST' && request.url === `${PATH}/envvars`) {
      const {name, value} = JSON.parse(request.body.toString('utf8')) as {name: string; value: string}
      if (name === 'BAD_ONE') return sendJson(res, 400, {error: ['Invalid envvar']})
      store.set(name, value)
      return sendJson(res, 200, {envvar: {name, value}, messages: {}})
    }

    const name = decodeURIComponent(request.url.slice(`${PATH}/envvars/`.length))
    if (request.url === `${PATH}/envvars` && request.method === 'GET') {
      return sendJson(res, 200, {envvars: [...store].map(([n, value]) => ({name: n, value})), messages: {}})
    }

    if (!store.has(name)) return sendJson(res, 404, {error: [`Envvar '${name}' does not exist`]})
    const envvar = {name, value: store.get(name)}
    if (request.method === 'DELETE') store.delete(name)
    return sendJson(res, 200, {envvar, messages: {}})
  })
}

describe('envvars in a real process (subprocess)', function () {
  this.timeout(60_000)
  let server: RecordingServer
  let tool: ToolEnv
  beforeEach(async () => {
    nock.enableNetConnect('127.0.0.1')
    server = await envvarsServer()
    tool = makeToolEnv({apiUrl: server.url})
  })
  afterEach(async () => {
    tool.restore()
    await server.close()
    nock.disableNetConnect()
  })

  const posted = () => server.requests.filter((r) => r.method === 'POST').map((r) => r.body)

  it('stores the exact bytes piped to create: unicode, control characters, CRLF, trailing newline', async () => {
    const bytes = Buffer.concat([Buffer.from('\uFEFF'), Buffer.from('l\u00EFne 1\r\n\ttab \u{1F389} \u0001\u001B[0m\n', 'utf8')])
    const {stdout, stderr, exitCode} = await runCli(['envvars', 'create', 'MY_SECRET'], {env: tool.env, stdin: bytes})
    expect(exitCode, stderr).to.equal(0)
    expect(posted()).to.have.length(1)
    const body = JSON.parse(posted()[0].toString('utf8')) as {name: string; value: string}
    expect(body).to.deep.equal({name: 'MY_SECRET', value: bytes.toString('utf8')})
    expect(Buffer.from(body.value, 'utf8').equals(bytes)).to.equal(true)
    expect(stdout).to.equal('name       value\nMY_SECRET  ****************\n')
    expect(stderr).to.include('WARNING: the value read from stdin ends with a newline')
  })

  it('keeps a value without a trailing newline as is (printf %s)', async () => {
    const {exitCode, stderr} = await runCli(['envvars', 'create', 'MY_SECRET'], {env: tool.env, stdin: 'abc'})
    expect(exitCode).to.equal(0)
    expect(JSON.parse(posted()[0].toString('utf8')).value).to.equal('abc')
    expect(stderr).to.equal('')
  })

  it('refuses an empty stdin and sends nothing', async () => {
    const {stdout, stderr, exitCode} = await runCli(['envvars', 'create', 'MY_SECRET'], {env: tool.env, stdin: ''})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal(
      'ERROR: Refusing to store an empty value (an empty secret is almost always a mistake); pass --allow-empty if you really mean it.\n',
    )
    expect(server.requests).to.have.length(0)
  })

  it('stores an empty stdin with --allow-empty', async () => {
    const {exitCode} = await runCli(['envvars', 'create', 'MY_SECRET', '--allow-empty'], {env: tool.env})
    expect(exitCode).to.equal(0)
    expect(JSON.parse(posted()[0].toString('utf8'))).to.deep.equal({name: 'MY_SECRET', value: ''})
  })

  it('refuses invalid UTF-8 and NUL bytes rather than corrupting them', async () => {
    const invalid = await runCli(['envvars', 'create', 'MY_SECRET'], {env: tool.env, stdin: Buffer.from([0x73, 0x65, 0xc3, 0x28, 0x0a])})
    expect(invalid.exitCode).to.equal(1)
    expect(invalid.stderr).to.include('ERROR: The value read from stdin is not valid UTF-8 text')
    const nul = await runCli(['envvars', 'create', 'MY_SECRET'], {env: tool.env, stdin: Buffer.from('a\0b')})
    expect(nul.exitCode).to.equal(1)
    expect(nul.stderr).to.include('ERROR: The value read from stdin contains a NUL byte')
    expect(server.requests).to.have.length(0)
  })

  it('round-trips a value through create and show --raw byte for byte', async () => {
    const value = 'multi\nline \u00FC\u{1F600}\n'
    expect((await runCli(['envvars', 'create', 'ROUND_TRIP'], {env: tool.env, stdin: value})).exitCode).to.equal(0)
    const {stdout, exitCode} = await runCli(['envvars', 'show', 'ROUND_TRIP', '--raw'], {env: tool.env})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(value)
  })

  it('never prints a value under --debug unless asked to show it', async () => {
    const runs = [
      await runCli(['envvars', 'create', 'NEW_SECRET', '--debug'], {env: tool.env, stdin: SECRET}),
      await runCli(['envvars', 'create', 'ARG_SECRET', SECRET, '--debug'], {env: tool.env}),
      await runCli(['envvars', 'create', 'BAD_ONE', '--debug'], {env: tool.env, stdin: SECRET}),
      await runCli(['envvars', 'list', '--debug'], {env: tool.env}),
      await runCli(['envvars', 'list', '--json', '--debug'], {env: tool.env}),
      await runCli(['envvars', 'show', 'EXISTING', '--debug'], {env: tool.env}),
      await runCli(['envvars', 'show', 'EXISTING', '--json', '--debug'], {env: tool.env}),
      await runCli(['envvars', 'delete', 'EXISTING', '--yes', '--debug'], {env: {...tool.env, TOOLFORGE_DEBUG: '1'}}),
    ]
    expect(runs.map((r) => r.exitCode)).to.deep.equal([0, 0, 1, 0, 0, 0, 0, 0])
    for (const {stdout, stderr} of runs) {
      expect(stderr).to.include('DEBUG: ')
      expect(stdout + stderr).not.to.include(SECRET)
      expect(stdout + stderr).not.to.include('never-print-me')
    }

    expect(runs[0].stderr).to.include('request body: <redacted>').and.include('response body: <redacted>')
    expect(posted().map((b) => JSON.parse(b.toString('utf8')).value)).to.deep.equal([SECRET, SECRET, SECRET])
  })
})
