import {expect} from 'chai'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {API, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

const ENVVARS = '/envvars/v1/tool/mytool'
const SECRET = 's3cr3t-value-do-not-print'
const LONG = 'x'.repeat(60)
const MASK = '****************'

describe('envvars list', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv({extraEnv: {CI: '1'}})
  })
  afterEach(() => tool.restore())

  const LIST = {envvars: [{name: 'MY_TOKEN', value: SECRET}, {name: 'LONG_ONE', value: LONG}], messages: {}}

  it('masks values by default', async () => {
    nock(API).get(`${ENVVARS}/envvars`).reply(200, LIST)
    const {stdout, exitCode} = await run(['envvars', 'list'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(`name      value\nMY_TOKEN  ${MASK}\nLONG_ONE  ${MASK}\n`)
  })

  it('shows values with --show-values and cuts them at 50 characters with --truncate (Q-ENV-04 kept)', async () => {
    nock(API).get(`${ENVVARS}/envvars`).twice().reply(200, LIST)
    const full = await run(['envvars', 'list', '--show-values'])
    expect(full.stdout).to.equal(`name      value\nMY_TOKEN  ${SECRET}\nLONG_ONE  ${LONG}\n`)
    const cut = await run(['envvars', 'list', '--show-values', '--truncate'])
    expect(cut.stdout).to.equal(`name      value\nMY_TOKEN  ${SECRET}\nLONG_ONE  ${'x'.repeat(50)}...\n`)
  })

  it('prints just the headers when there are none, as upstream', async () => {
    nock(API).get(`${ENVVARS}/envvars`).reply(200, {envvars: [], messages: {}})
    expect((await run(['envvars', 'list'])).stdout).to.equal('name    value\n')
  })

  it('continues a multi-line value under its column', async () => {
    nock(API).get(`${ENVVARS}/envvars`).reply(200, {envvars: [{name: 'PEM_KEY', value: 'line1\nline2'}], messages: {}})
    const {stdout} = await run(['envvars', 'list', '--show-values'])
    expect(stdout).to.equal('name     value\nPEM_KEY  line1\n         line2\n')
  })

  it('lays values out as tabulate does: numbers flush right, text stripped, CRLF as one break', async () => {
    nock(API).get(`${ENVVARS}/envvars`).twice()
      .reply(200, {envvars: [{name: 'PORT', value: '8080'}, {name: 'WORKERS', value: ' 4'}], messages: {}})
      .get(`${ENVVARS}/envvars`)
      .reply(200, {envvars: [{name: 'PEM_KEY', value: 'line1\r\nline2\n'}, {name: 'GREETING', value: '  hi '}], messages: {}})
    expect((await run(['envvars', 'list', '--show-values'])).stdout).to.equal('name       value\nPORT        8080\nWORKERS        4\n')
    // Masked, the same envvars are text again.
    expect((await run(['envvars', 'list'])).stdout).to.equal(`name     value\nPORT     ${MASK}\nWORKERS  ${MASK}\n`)
    expect((await run(['envvars', 'list', '--show-values'])).stdout).to.equal('name      value\nPEM_KEY   line1\n          line2\nGREETING  hi\n')
  })

  it('with --json omits values unless --show-values', async () => {
    nock(API).get(`${ENVVARS}/envvars`).twice().reply(200, {...LIST, messages: {warning: ['w']}})
    const hidden = await run(['envvars', 'list', '--json'])
    expect(JSON.parse(hidden.stdout)).to.deep.equal({envvars: [{name: 'MY_TOKEN'}, {name: 'LONG_ONE'}], messages: {warning: ['w']}})
    expect(hidden.stdout + hidden.stderr).not.to.include(SECRET)
    const shown = await run(['envvars', 'list', '--json', '--show-values'])
    expect(JSON.parse(shown.stdout)).to.deep.equal({...LIST, messages: {warning: ['w']}})
  })

  it('prints errors on stderr, not stdout (Q-ENV-01 fixed)', async () => {
    nock(API).get(`${ENVVARS}/envvars`).reply(403, {error: ['Forbidden']})
    const {stdout, stderr, exitCode} = await run(['envvars', 'list'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('ERROR: Forbidden\n')
  })

  it('reports 502 as the envvars service being down', async () => {
    nock(API).get(`${ENVVARS}/envvars`).times(4).reply(502, 'bad gateway')
    const {stderr, exitCode} = await run(['envvars', 'list'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('ERROR: The envvars service seems to be down – please retry in a few minutes.')
  })

  it('reports a 500 with exit 2', async () => {
    nock(API).get(`${ENVVARS}/envvars`).reply(500, {error: ['Unable to read the secrets']})
    const {stderr, exitCode} = await run(['envvars', 'list'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('ERROR: Unable to read the secrets\n')
  })
})

describe('envvars show', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv({extraEnv: {CI: '1'}})
  })
  afterEach(() => tool.restore())

  it('masks the value unless --show-values', async () => {
    nock(API).get(`${ENVVARS}/envvars/MY_TOKEN`).twice().reply(200, {envvar: {name: 'MY_TOKEN', value: SECRET}, messages: {}})
    expect((await run(['envvars', 'show', 'MY_TOKEN'])).stdout).to.equal(`name      value\nMY_TOKEN  ${MASK}\n`)
    expect((await run(['envvars', 'show', 'MY_TOKEN', '--show-values'])).stdout).to.equal(`name      value\nMY_TOKEN  ${SECRET}\n`)
  })

  it('--raw prints only the bare value, without a trailing newline; API messages go to stderr', async () => {
    nock(API).get(`${ENVVARS}/envvars/MY_TOKEN`).reply(200, {envvar: {name: 'MY_TOKEN', value: 'a b\n\tc'}, messages: {info: ['an info line']}})
    const {stdout, stderr, exitCode} = await run(['envvars', 'show', 'MY_TOKEN', '--raw'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('a b\n\tc')
    expect(stderr).to.include('an info line')
  })

  it('--json has {envvar, messages}; the value only with --show-values', async () => {
    nock(API).get(`${ENVVARS}/envvars/MY_TOKEN`).twice().reply(200, {envvar: {name: 'MY_TOKEN', value: SECRET}, messages: {}})
    expect(JSON.parse((await run(['envvars', 'show', 'MY_TOKEN', '--json'])).stdout)).to.deep.equal({envvar: {name: 'MY_TOKEN'}, messages: {}})
    expect(JSON.parse((await run(['envvars', 'show', 'MY_TOKEN', '--json', '--show-values'])).stdout)).to.deep.equal({
      envvar: {name: 'MY_TOKEN', value: SECRET},
      messages: {},
    })
  })

  it('refuses --raw with --json as a usage error', async () => {
    const {exitCode, stderr} = await run(['envvars', 'show', 'MY_TOKEN', '--raw', '--json'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('--raw')
  })

  it('reports an unknown name with the server message (404, exit 1)', async () => {
    nock(API).get(`${ENVVARS}/envvars/NOPE_NOPE`).reply(404, {error: ["Envvar 'NOPE_NOPE' does not exist"]})
    const {stderr, exitCode} = await run(['envvars', 'show', 'NOPE_NOPE'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal("ERROR: Envvar 'NOPE_NOPE' does not exist\n")
  })

  it('still reads names valid under the pre-2025 rule', async () => {
    nock(API).get(`${ENVVARS}/envvars/_OLD_NAME_`).reply(200, {envvar: {name: '_OLD_NAME_', value: 'v'}, messages: {}})
    expect((await run(['envvars', 'show', '_OLD_NAME_'])).exitCode).to.equal(0)
  })

  it('rejects an invalid name before any request', async () => {
    const {stderr, exitCode} = await run(['envvars', 'show', 'my/../../x'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('ERROR: Invalid envvar name "my/../../x"')
  })
})

describe('envvars quota', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv({extraEnv: {CI: '1'}})
  })
  afterEach(() => tool.restore())

  it('prints quota, used and available', async () => {
    nock(API).get(`${ENVVARS}/quotas`).reply(200, {quota: {quota: 10, used: 3}, messages: {}})
    const {stdout, exitCode} = await run(['envvars', 'quota'])
    expect(exitCode).to.equal(0)
    // tabulate flushes numeric columns and their headers right.
    expect(stdout).to.equal('  quota    used    available\n     10       3            7\n')
  })

  it('--json prints the API response', async () => {
    nock(API).get(`${ENVVARS}/quotas`).reply(200, {quota: {quota: 10, used: 3}, messages: {}})
    expect(JSON.parse((await run(['envvars', 'quota', '--json'])).stdout)).to.deep.equal({quota: {quota: 10, used: 3}, messages: {}})
  })

  it('rejects a malformed answer as a server error', async () => {
    nock(API).get(`${ENVVARS}/quotas`).reply(200, {quota: {}, messages: {}})
    const {stderr, exitCode} = await run(['envvars', 'quota'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include("Invalid response from the envvars API: missing or wrong 'quota'")
  })
})
