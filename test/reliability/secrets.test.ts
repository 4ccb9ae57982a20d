import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {run} from '../helpers/run.js'
import {closedPort} from '../helpers/stubs.js'
import {FIXTURES} from '../helpers/tool-env.js'
import {ENVVARS, type FaultEnv, faultEnv, JOBS, kubeconfig, withEnv} from './env.js'
import type {Fault} from './fault-server.js'
import {check} from './tally.js'

// --debug output, errors and --json errors across commands, grepped for the secrets the CLI holds: the
// token of a token kubeconfig, the client key (file or inline), envvar values. `check` also fails on any
// PEM block at all.

const TOKEN = 'tf-token-3c9d1e7a5b2f4680'
const VALUE = 'envvar-value-71be0c4d93'
const KEY_PEM = readFileSync(join(FIXTURES, 'certs/client.key'), 'utf8')
const CERT_PEM = readFileSync(join(FIXTURES, 'certs/client.crt'), 'utf8')
// Any line of the key's base64 body, and the whole key base64-encoded as kubeconfig `-data` fields hold it.
const KEY_SECRETS = [...KEY_PEM.split('\n').filter((line) => line.length > 40 && !line.startsWith('-----')), Buffer.from(KEY_PEM).toString('base64').slice(0, 60)]

const JOB_FAULTS: [string, string, Fault][] = [
  ['200', `${JOBS}/jobs`, {status: 200, body: {jobs: []}}],
  ['401', `${JOBS}/jobs`, {status: 401, body: {message: 'Unauthorized'}}],
  ['500', `${JOBS}/jobs`, {status: 500, body: {error: ['Unknown error (boom)']}}],
  ['HTML 200', `${JOBS}/jobs`, {status: 200, body: '<html>proxy</html>'}],
  ['dropped connection', `${JOBS}/jobs`, {reset: true}],
]

describe('reliability: secrets stay out of output', () => {
  let env: FaultEnv
  afterEach(async () => env.close())

  describe('a token kubeconfig', () => {
    beforeEach(async () => {
      env = await faultEnv()
      writeFileSync(join(env.tool.home, '.kube/config'), kubeconfig(`{token: ${TOKEN}}`))
    })

    for (const [label, path, fault] of JOB_FAULTS) {
      for (const json of [false, true]) {
        it(`jobs list --debug${json ? ' --json' : ''}, gateway answers ${label}`, async () => {
          env.server.on('GET', path, fault)
          const result = await run(['jobs', 'list', '--debug', ...(json ? ['--json'] : [])])
          check(result, {exit: label === '200' ? 0 : label === '401' ? 1 : 2, secrets: [TOKEN]}, label)
          expect(env.server.requests[0].headers.authorization).to.equal(`Bearer ${TOKEN}`)
        })
      }
    }

    it('jobs run --debug through a lost answer and the lookup', async () => {
      env.server.on('POST', `${JOBS}/jobs`, {status: 502, body: 'Bad Gateway'})
      env.server.on('GET', `${JOBS}/jobs/myjob`, {status: 404, body: {error: ['no such job']}})
      check(await run(['jobs', 'run', 'myjob', '--command', './x', '--image', 'bookworm', '--debug']), {exit: 2, secrets: [TOKEN]})
    })

    it('jobs logs --debug, a streamed 404', async () => {
      env.server.on('GET', `${JOBS}/jobs/myjob/logs`, {status: 404, body: {error: ['no such job']}})
      check(await run(['jobs', 'logs', 'myjob', '--debug']), {exit: 1, secrets: [TOKEN]})
    })

    it('connection refused, --debug', async () => {
      const port = await closedPort()
      const result = await withEnv({TOOL_TOOLFORGE_API_URL: `http://127.0.0.1:${port}`}, () => run(['build', 'list', '--debug']))
      check(result, {exit: 2, secrets: [TOKEN]})
    })
  })

  describe('client certificate and key', () => {
    const inline = `{client-certificate-data: ${Buffer.from(CERT_PEM).toString('base64')}, client-key-data: ${Buffer.from(KEY_PEM).toString('base64')}}`
    for (const [kind, user] of [['key file', undefined], ['inline data', inline]] as const) {
      for (const [label, path, fault] of JOB_FAULTS) {
        it(`${kind}: jobs list --debug, gateway answers ${label}`, async () => {
          env = await faultEnv()
          if (user) writeFileSync(join(env.tool.home, '.kube/config'), kubeconfig(user))
          env.server.on('GET', path, fault)
          check(await run(['jobs', 'list', '--debug']), {exit: label === '200' ? 0 : label === '401' ? 1 : 2, secrets: KEY_SECRETS}, label)
        })
      }
    }

    it('an inline key that is not base64 is refused without being echoed', async () => {
      env = await faultEnv()
      const marker = 'not*base64*' + KEY_SECRETS[0].slice(0, 30)
      writeFileSync(join(env.tool.home, '.kube/config'), kubeconfig(`{client-certificate-data: "${marker}", client-key-data: "${marker}"}`))
      const result = await run(['jobs', 'list', '--debug'])
      check(result, {exit: 1, secrets: [marker, ...KEY_SECRETS]})
      expect(result.stderr).to.match(/client-certificate-data is not base64/)
      expect(env.server.requests).to.deep.equal([])
    })
  })

  describe('envvar values', () => {
    beforeEach(async () => {
      env = await faultEnv()
    })

    const stored = {envvar: {name: 'MY_TOKEN', value: VALUE}, messages: {}}
    const cases: [string, string[], string, string, Fault, number][] = [
      ['create', ['envvars', 'create', 'MY_TOKEN', VALUE], 'POST', `${ENVVARS}/envvars`, {status: 200, body: stored}, 0],
      ['create, --json', ['envvars', 'create', 'MY_TOKEN', VALUE, '--json'], 'POST', `${ENVVARS}/envvars`, {status: 200, body: stored}, 0],
      ['create, the API quotes the value in an error', ['envvars', 'create', 'MY_TOKEN', VALUE], 'POST', `${ENVVARS}/envvars`, {status: 400, body: {error: [`Invalid value '${VALUE}'`]}}, 1],
      ['create, the API quotes it in a 500', ['envvars', 'create', 'MY_TOKEN', VALUE, '--json'], 'POST', `${ENVVARS}/envvars`, {status: 500, body: {error: [`failed to store ${VALUE}`]}}, 2],
      ['create, the API quotes it in a message', ['envvars', 'create', 'MY_TOKEN', VALUE], 'POST', `${ENVVARS}/envvars`, {status: 200, body: {...stored, messages: {info: [`stored ${VALUE}`], warning: [`${VALUE} looks weak`]}}}, 0],
      ['create, the gateway drops the connection', ['envvars', 'create', 'MY_TOKEN', VALUE], 'POST', `${ENVVARS}/envvars`, {reset: true}, 2],
      ['show', ['envvars', 'show', 'MY_TOKEN'], 'GET', `${ENVVARS}/envvars/MY_TOKEN`, {status: 200, body: stored}, 0],
      ['show --json', ['envvars', 'show', 'MY_TOKEN', '--json'], 'GET', `${ENVVARS}/envvars/MY_TOKEN`, {status: 200, body: stored}, 0],
      ['list', ['envvars', 'list'], 'GET', `${ENVVARS}/envvars`, {status: 200, body: {envvars: [stored.envvar], messages: {}}}, 0],
      ['list --json', ['envvars', 'list', '--json'], 'GET', `${ENVVARS}/envvars`, {status: 200, body: {envvars: [stored.envvar], messages: {}}}, 0],
      ['delete', ['envvars', 'delete', 'MY_TOKEN', '--yes'], 'DELETE', `${ENVVARS}/envvars/MY_TOKEN`, {status: 200, body: stored}, 0],
    ]
    for (const [label, argv, method, path, fault, exit] of cases) {
      it(`envvars ${label}, --debug`, async () => {
        env.server.on(method, path, fault)
        check(await run([...argv, '--debug']), {exit, secrets: [VALUE]}, label)
        expect(env.server.count(method, path)).to.be.at.least(1)
      })
    }
  })
})
