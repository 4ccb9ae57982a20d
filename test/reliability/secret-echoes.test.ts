import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {run as runWithStdin} from '../contract-json/stdin.js'
import {run} from '../helpers/run.js'
import {FIXTURES} from '../helpers/tool-env.js'
import {BUILDS, ENVVARS, type FaultEnv, faultEnv, JOBS, kubeconfig} from './env.js'
import type {Fault} from './fault-server.js'
import {check} from './tally.js'

// Servers that quote a secret back in a form other than the one sent: in a long plain-text body the
// CLI shortens, cut short by the server, inside the request JSON they echo (escaped), Go-escaped, or a
// token quoted from the Authorization header. `check` also fails on any PEM block at all.

const KEY_PEM = readFileSync(join(FIXTURES, 'certs/client.key'), 'utf8')
// Each line of the key's body: any one of them seen is a leak.
const KEY_LINES = KEY_PEM.split('\n').filter((line) => line.length > 40 && !line.startsWith('-----'))
// 40 characters from anywhere in the key body, as a leak of part of the key would show them.
const KEY_PIECES = KEY_LINES.map((line) => line.slice(10, 50))
const TOKEN = 'tf-token-9a8b7c6d5e4f3a2b1c0d'

const text = (status: number, body: string): Fault => ({status, body, headers: {'Content-Type': 'text/plain'}})

describe('reliability: secrets quoted back by a server stay hidden', () => {
  let env: FaultEnv
  beforeEach(async () => {
    env = await faultEnv()
  })
  afterEach(async () => env.close())

  describe('envvars create MY_KEY < key.pem', () => {
    const cases: [string, Fault][] = [
      ['a 500 text/plain body quoting the whole value (longer than the 500 characters shown)', text(500, `could not store value ${KEY_PEM}`)],
      ['the same, value trimmed by the server', text(500, `could not store value '${KEY_PEM.trim()}'`)],
      ['a body that quotes only the first 700 characters of the value (cut by our 500)', text(500, `value too long: ${KEY_PEM.slice(0, 700)}`)],
      ['the raw request JSON quoted back in plain text (newlines escaped)', text(500, `bad request: ${JSON.stringify({name: 'MY_KEY', value: KEY_PEM})}`)],
      ['the request JSON quoted back in a 400', text(400, `rejected ${JSON.stringify({name: 'MY_KEY', value: KEY_PEM})}`)],
    ]
    for (const [label, fault] of cases) {
      for (const debug of [false, true]) {
        it(`${label}${debug ? ', --debug' : ''}`, async () => {
          env.server.on('POST', `${ENVVARS}/envvars`, fault)
          const result = await runWithStdin(['envvars', 'create', 'MY_KEY', ...(debug ? ['--debug'] : [])], KEY_PEM)
          check(result, {exit: 'status' in fault && fault.status === 400 ? 1 : 2, secrets: [...KEY_LINES, ...KEY_PIECES]}, label)
          expect(result.stderr).to.include('<redacted>')
          expect(env.server.count('POST')).to.equal(1)
        })
      }
    }
  })

  describe('values with newlines, quotes, & < > and non-ASCII', () => {
    const values = ['line1-secret\nline2-secret', 'pa"ss\\word-secret', 'Build&Secret<1>', 'clé-secrète-ünïcode', 'tab\tand\u2028separator']
    // The spellings a server may use: JSON (Python's and JavaScript's), Go's, ASCII-only JSON (Python's default).
    const escaped = (value: string) => {
      const json = JSON.stringify(value).slice(1, -1)
      const go = json.replaceAll('&', '\\u0026').replaceAll('<', '\\u003c').replaceAll('>', '\\u003e').replaceAll('\u2028', '\\u2028')
      const ascii = json.replaceAll(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      return {json, go, ascii}
    }

    // What a leak would look like: any spelling, or a word of the value.
    const spellings = (value: string) => [value, ...Object.values(escaped(value)), ...value.split(/\s/).filter((part) => part.length > 6)]

    for (const value of values) {
      it(`envvars create, plain-text and JSON echoes of ${JSON.stringify(value)}`, async () => {
        const sent = JSON.stringify({name: 'MY_TOKEN', value})
        const {go, ascii} = escaped(value)
        const bodies = [
          `echo: ${sent}`,
          `echo: {"name":"MY_TOKEN","value":"${go}"}`,
          `echo: {"name":"MY_TOKEN","value":"${ascii}"}`,
          `{"error": ["invalid value \\"${go}\\""]}`,
          `{"error": ["invalid value \\"${ascii}\\""], "messages": {"warning": ["saw ${go}"]}}`,
        ]
        for (const body of bodies) {
          env.server.on('POST', `${ENVVARS}/envvars`, text(500, body))
          const result = await runWithStdin(['envvars', 'create', 'MY_TOKEN', '--debug'], value)
          check(result, {exit: 2, secrets: spellings(value)}, body)
        }
      })

      it(`build start -e, --debug response body and messages echoing ${JSON.stringify(value)} Go-escaped`, async () => {
        const {go} = escaped(value)
        const answer = `{"new_build": {"name": "b1"}, "messages": {"info": ["stored ${go}"]}, "note": "${go}"}`
        env.server.on('POST', `${BUILDS}/builds`, {status: 200, body: answer, headers: {'Content-Type': 'application/json'}})
        const result = await run(['build', 'start', 'https://gitlab.example.test/r.git', '-e', `SECRET=${value}`, '--detach', '--debug'])
        check(result, {exit: 0, secrets: spellings(value)})
        expect(result.stderr).to.include('response body: {"new_build": {"name": "b1"}, "messages": {"info": ["stored <redacted>"]}, "note": "<redacted>"}')
      })
    }
  })

  describe('the kubeconfig token', () => {
    beforeEach(() => {
      writeFileSync(join(env.tool.home, '.kube/config'), kubeconfig(`{token: ${TOKEN}}`))
    })

    const cases: [string, Fault, number][] = [
      ['a 401 text/plain body quoting the Authorization header', text(401, `Unauthorized: Authorization: Bearer ${TOKEN} was rejected`), 1],
      ['a 401 JSON body quoting the token', {status: 401, body: {message: `invalid token '${TOKEN}'`}}, 1],
      ['a 500 quoting the request headers as JSON', text(500, `headers: ${JSON.stringify({Authorization: `Bearer ${TOKEN}`})}`), 2],
      ['a 200 whose messages quote it', {status: 200, body: {jobs: [], messages: {info: [`hello ${TOKEN}`], warning: [`Bearer ${TOKEN}`]}}}, 0],
    ]
    for (const [label, fault, exit] of cases) {
      for (const flags of [[], ['--debug'], ['--debug', '--json']]) {
        it(`jobs list ${flags.join(' ')}: ${label}`, async () => {
          env.server.on('GET', `${JOBS}/jobs`, fault)
          const result = await run(['jobs', 'list', ...flags])
          check(result, {exit, secrets: [TOKEN]}, label)
          expect(env.server.requests[0].headers.authorization).to.equal(`Bearer ${TOKEN}`)
        })
      }
    }
  })
})
