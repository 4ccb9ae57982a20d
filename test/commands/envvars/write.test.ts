import {expect} from 'chai'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {fakeTerminalInput} from '../../helpers/stubs.js'
import {API, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

const ENVVARS = '/envvars/v1/tool/mytool'
const SECRET = 's3cr3t-value-do-not-print'
const MASK = '****************'

describe('envvars create', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv({extraEnv: {CI: '1'}})
  })
  afterEach(() => {
    tool.restore()
  })

  it('posts {name, value} and prints the stored envvar masked', async () => {
    const scope = nock(API).post(`${ENVVARS}/envvars`, {name: 'MY_TOKEN', value: SECRET}).reply(200, {envvar: {name: 'MY_TOKEN', value: SECRET}, messages: {}})
    const {stdout, exitCode} = await run(['envvars', 'create', 'MY_TOKEN', SECRET])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(`name      value\nMY_TOKEN  ${MASK}\n`)
  })

  it('--show-values shows it; --json omits it unless --show-values', async () => {
    nock(API).post(`${ENVVARS}/envvars`).times(2).reply(200, {envvar: {name: 'MY_TOKEN', value: 'v1'}, messages: {}})
    expect((await run(['envvars', 'create', 'MY_TOKEN', 'v1', '--show-values'])).stdout).to.equal('name      value\nMY_TOKEN  v1\n')
    expect(JSON.parse((await run(['envvars', 'create', 'MY_TOKEN', 'v1', '--json'])).stdout)).to.deep.equal({envvar: {name: 'MY_TOKEN'}, messages: {}})
  })

  for (const name of ['my_token', 'ABC', 'A_B_', '_ABC', '1ABC', 'AB-CD']) {
    it(`rejects the name ${name} with the rule, sending nothing`, async () => {
      const {stderr, exitCode} = await run(['envvars', 'create', name, 'v'])
      expect(exitCode).to.equal(1)
      expect(stderr).to.include(
        `ERROR: Invalid envvar name "${name}": a name is at least 4 characters long, uses only uppercase letters A-Z, digits 0-9 and underscores, starts with a letter and ends with a letter or a digit, e.g. MY_API_TOKEN.`,
      )
    })
  }

  it('suggests the upper-case spelling', async () => {
    const {stderr} = await run(['envvars', 'create', 'my_token', 'v'])
    expect(stderr).to.include('Did you mean MY_TOKEN?')
  })

  it('refuses an empty value unless --allow-empty', async () => {
    const refused = await run(['envvars', 'create', 'MY_TOKEN', ''])
    expect(refused.exitCode).to.equal(1)
    expect(refused.stderr).to.include('ERROR: Refusing to store an empty value')
    const scope = nock(API).post(`${ENVVARS}/envvars`, {name: 'MY_TOKEN', value: ''}).reply(200, {envvar: {name: 'MY_TOKEN', value: ''}, messages: {}})
    expect((await run(['envvars', 'create', 'MY_TOKEN', '', '--allow-empty'])).exitCode).to.equal(0)
    expect(scope.isDone()).to.equal(true)
  })

  it('on a terminal asks for the value without echoing it', async () => {
    fakeTerminalInput(`${SECRET}\r`)
    const scope = nock(API).post(`${ENVVARS}/envvars`, {name: 'MY_TOKEN', value: SECRET}).reply(200, {envvar: {name: 'MY_TOKEN', value: SECRET}, messages: {}})
    const {stdout, stderr, exitCode} = await run(['envvars', 'create', 'MY_TOKEN'])
    expect(exitCode).to.equal(0)
    expect(scope.isDone()).to.equal(true)
    expect(stderr).to.include('Enter the value of your envvar (Hit Ctrl+C to cancel)')
    expect(stdout + stderr).not.to.include(SECRET)
  })

  const ERRORS: [number, string, number][] = [
    [400, 'Invalid envvar name "TOOL_X": names starting with TOOL_ are reserved', 1],
    [403, 'Quota exceeded: this tool already has 10 envvars', 1],
    [409, 'Conflict while storing the envvar', 1],
    [500, 'Unable to store the secret', 2],
  ]
  for (const [status, message, exit] of ERRORS) {
    it(`reports HTTP ${status} from the server (exit ${exit}) without the value`, async () => {
      nock(API).post(`${ENVVARS}/envvars`).reply(status, {error: [message]})
      const {stdout, stderr, exitCode} = await run(['envvars', 'create', 'TOOL_XX', SECRET, '--debug'])
      expect(exitCode).to.equal(exit)
      expect(stderr).to.include(`ERROR: ${message}\n`)
      expect(stdout + stderr).not.to.include(SECRET)
    })
  }

  it('does not retry a create on 502 and says the service is down', async () => {
    const scope = nock(API).post(`${ENVVARS}/envvars`).once().reply(502, '')
    const {stderr, exitCode} = await run(['envvars', 'create', 'MY_TOKEN', 'v'])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('ERROR: The envvars service seems to be down – please retry in a few minutes.')
  })
})

describe('envvars delete', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv({extraEnv: {CI: '1'}})
  })
  afterEach(() => {
    tool.restore()
  })

  for (const flag of ['--yes', '-y', '--yes-im-sure']) {
    it(`${flag} deletes without asking and shows the last value masked`, async () => {
      fakeTerminalInput('')
      const scope = nock(API).delete(`${ENVVARS}/envvars/MY_TOKEN`).reply(200, {envvar: {name: 'MY_TOKEN', value: SECRET}, messages: {}})
      const {stdout, stderr, exitCode} = await run(['envvars', 'delete', 'MY_TOKEN', flag])
      expect(scope.isDone()).to.equal(true)
      expect(exitCode).to.equal(0)
      expect(stdout).to.equal(`Deleted MY_TOKEN, here is its last value: \nname      value\nMY_TOKEN  ${MASK}\n`)
      expect(stderr).to.equal('')
    })
  }

  it('--show-values shows the last value', async () => {
    nock(API).delete(`${ENVVARS}/envvars/MY_TOKEN`).reply(200, {envvar: {name: 'MY_TOKEN', value: SECRET}, messages: {}})
    const {stdout} = await run(['envvars', 'delete', 'MY_TOKEN', '--yes', '--show-values'])
    expect(stdout).to.equal(`Deleted MY_TOKEN, here is its last value: \nname      value\nMY_TOKEN  ${SECRET}\n`)
  })

  it('on a terminal asks and aborts on no', async () => {
    fakeTerminalInput('n\r')
    const scope = nock(API).delete(`${ENVVARS}/envvars/MY_TOKEN`).reply(200, {envvar: {name: 'MY_TOKEN', value: SECRET}, messages: {}})
    const {stderr, exitCode} = await run(['envvars', 'delete', 'MY_TOKEN'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include("Are you sure you want to delete MY_TOKEN? (this can't be undone)").and.include("ERROR: Aborting at user's request")
    expect(scope.isDone()).to.equal(false)
  })

  it('--json --yes returns {envvar, messages} without the value', async () => {
    nock(API).delete(`${ENVVARS}/envvars/MY_TOKEN`).reply(200, {envvar: {name: 'MY_TOKEN', value: SECRET}, messages: {}})
    const {stdout} = await run(['envvars', 'delete', 'MY_TOKEN', '--json', '--yes'])
    expect(JSON.parse(stdout)).to.deep.equal({envvar: {name: 'MY_TOKEN'}, messages: {}})
  })

  for (const extra of [[], ['--json']]) {
    it(`${extra.join(' ') || 'without a terminal'}: without --yes deletes nothing and says which flag confirms`, async () => {
      const scope = nock(API).delete(`${ENVVARS}/envvars/MY_TOKEN`).reply(200, {envvar: {name: 'MY_TOKEN', value: SECRET}, messages: {}})
      const {stdout, stderr, exitCode} = await run(['envvars', 'delete', 'MY_TOKEN', ...extra])
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr).to.include("Are you sure you want to delete MY_TOKEN? (this can't be undone) Not confirmed").and.include('pass --yes to go ahead.')
      expect(scope.isDone()).to.equal(false)
    })
  }

  it('reports an unknown name (404, exit 1)', async () => {
    nock(API).delete(`${ENVVARS}/envvars/NOPE_NOPE`).reply(404, {error: ["Envvar 'NOPE_NOPE' does not exist"]})
    const {stderr, exitCode} = await run(['envvars', 'delete', 'NOPE_NOPE', '-y'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal("ERROR: Envvar 'NOPE_NOPE' does not exist\n")
  })
})
