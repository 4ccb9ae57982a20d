import {expect} from 'chai'
import {setTimeout as sleep} from 'node:timers/promises'

import {run} from '../helpers/run.js'
import {type FaultEnv, faultEnv, JOBS, withEnv} from './env.js'
import type {Fault} from './fault-server.js'
import {check} from './tally.js'

const LOGS = `${JOBS}/jobs/mybot/logs`
const record = (n: number, message = `line ${n}`) => ({pod: 'mybot-7d9c-x2x4q', container: 'job', datetime: `2025-10-15T19:45:${String(n).padStart(2, '0')}+00:00`, message})
const ndjson = (...records: object[]) => records.map((r) => JSON.stringify(r) + '\n')
const text = (...ns: number[]) => ns.map((n) => `2025-10-15T19:45:${String(n).padStart(2, '0')}+00:00 [mybot-7d9c-x2x4q] [job] line ${n}\n`).join('')
const cut = (...ns: number[]): Fault => ({chunks: ndjson(...ns.map((n) => record(n))), cut: true})
const end = (...ns: number[]): Fault => ({chunks: ndjson(...ns.map((n) => record(n)))})

describe('reliability: jobs logs --follow across dropped connections', () => {
  let env: FaultEnv
  beforeEach(async () => {
    env = await faultEnv()
  })
  afterEach(async () => env.close())

  it('reconnects after a cut-off, asks for a few lines and prints none of them twice', async () => {
    env.server.on('GET', LOGS, cut(1, 2), end(1, 2, 3, 4))
    const result = await run(['jobs', 'logs', 'mybot', '-f'])
    check(result, {exit: 0})
    expect(result.stdout).to.equal(text(1, 2, 3, 4))
    const warnings = result.stderr.split('\n').filter(Boolean)
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.match(/^WARNING: The log stream from the jobs API was cut off \(.+\); reconnecting in \d+\.\d s \(attempt 1 of 5\)$/)
    const [first, second] = env.server.requests
    expect(first.query.get('follow')).to.equal('true')
    expect(first.query.has('lines')).to.equal(false)
    expect(second.query.get('lines')).to.equal('20')
  })

  it('keeps --json output free of repeats too', async () => {
    env.server.on('GET', LOGS, cut(1, 2), end(2, 3))
    const result = await run(['jobs', 'logs', 'mybot', '-f', '--json'])
    check(result, {exit: 0})
    expect(result.stdout.trim().split('\n').map((line) => JSON.parse(line).message)).to.deep.equal(['line 1', 'line 2', 'line 3'])
  })

  it('gives up after 5 reconnects in a row without progress (exit 2)', async () => {
    env.server.on('GET', LOGS, cut(1), cut(1))
    const result = await run(['jobs', 'logs', 'mybot', '-f'])
    check(result, {exit: 2})
    expect(result.stdout).to.equal(text(1))
    expect(env.server.count('GET')).to.equal(6)
    const lines = result.stderr.split('\n').filter(Boolean)
    expect(lines.filter((line) => line.startsWith('WARNING: '))).to.have.length(5)
    expect(lines.at(-2)).to.match(/^ERROR: The log stream from the jobs API was cut off/)
  })

  it('counts reconnects afresh once new lines arrive', async () => {
    env.server.on('GET', LOGS, cut(1), cut(1, 2), cut(2, 3), cut(3, 4), cut(4, 5), cut(5, 6), cut(6, 7), end(7, 8))
    const result = await run(['jobs', 'logs', 'mybot', '-f'])
    check(result, {exit: 0})
    expect(result.stdout).to.equal(text(1, 2, 3, 4, 5, 6, 7, 8))
  })

  it('retries a reconnect the gateway refuses (503), then carries on', async () => {
    env.server.on('GET', LOGS, cut(1), {status: 503, body: {error: ['busy']}}, end(1, 2))
    const result = await run(['jobs', 'logs', 'mybot', '-f'])
    check(result, {exit: 0})
    expect(result.stdout).to.equal(text(1, 2))
    expect(result.stderr).to.match(/attempt 2 of 5/)
  })

  it('stops at an answer: the job was deleted meanwhile (404, exit 1)', async () => {
    env.server.on('GET', LOGS, cut(1), {status: 404, body: {error: ["Job 'mybot' does not exist"]}})
    const result = await run(['jobs', 'logs', 'mybot', '-f'])
    check(result, {exit: 1})
    expect(result.stderr.split('\n').at(-2)).to.equal("ERROR: Job 'mybot' does not exist")
  })

  it('prints a line the job really wrote twice, twice', async () => {
    env.server.on('GET', LOGS, {chunks: ndjson(record(1), record(1), record(2))})
    const result = await run(['jobs', 'logs', 'mybot', '-f'])
    check(result, {exit: 0})
    expect(result.stdout).to.equal(text(1, 1, 2))
  })

  it('without --follow a cut-off is the end: exit 2, no reconnect', async () => {
    env.server.on('GET', LOGS, cut(1))
    const result = await run(['jobs', 'logs', 'mybot'])
    check(result, {exit: 2})
    expect(env.server.count('GET')).to.equal(1)
  })

  it('Ctrl-C during the back-off ends at once with exit 0', async () => {
    env.server.on('GET', LOGS, cut(1))
    const pending = withEnv({TOOLFORGE_RETRY_BASE_MS: '2000'}, () => run(['jobs', 'logs', 'mybot', '-f']))
    while (env.server.count('GET') === 0) await sleep(10)
    await sleep(200)
    const interrupted = Date.now()
    process.emit('SIGINT')
    const result = await pending
    check(result, {exit: 0})
    expect(Date.now() - interrupted).to.be.lessThan(1000)
    expect(result.stdout).to.equal(text(1))
    expect(env.server.count('GET')).to.equal(1)
  })
})
