import {expect} from 'chai'

import {run} from '../helpers/run.js'
import {BUILDS, type FaultEnv, faultEnv, job, JOBS} from './env.js'
import {check} from './tally.js'

// A server (or anything between it and us) that sends escape sequences: clear the screen, set the
// window title, hide text. People see them as text; the terminal never gets them. --json stays exact.

const CLEAR = '\u001B[2J\u001B[H'
const TITLE = '\u001B]0;pwned\u0007'
const C1 = '\u009B31m'
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/

describe('reliability: control characters from servers are shown, not obeyed', () => {
  let env: FaultEnv
  beforeEach(async () => {
    env = await faultEnv()
  })
  afterEach(async () => env.close())

  it('jobs list: job names and statuses in the table, and the API messages', async () => {
    const name = `evil${CLEAR}${TITLE}`
    env.server.on('GET', `${JOBS}/jobs`, {status: 200, body: {jobs: [job(name, {status_short: `Running${C1}`})], messages: {info: [`note${TITLE}`], warning: [`careful\r${CLEAR}`]}}})
    const result = await run(['jobs', 'list'])
    check(result, {exit: 0})
    expect(result.stdout + result.stderr).not.to.match(CONTROL)
    expect(result.stdout).to.include('evil\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07').and.include('Running\\x9b31m').and.include('note\\x1b]0;pwned\\x07')
    expect(result.stderr).to.equal('WARNING: careful\\x0d\\x1b[2J\\x1b[H\n')
  })

  it('jobs list -o name and jobs show', async () => {
    env.server.on('GET', `${JOBS}/jobs`, {status: 200, body: {jobs: [job(`a${TITLE}`)]}})
    env.server.on('GET', `${JOBS}/jobs/a`, {status: 200, body: {job: job('a', {cmd: `./run${CLEAR}`})}})
    for (const argv of [['jobs', 'list', '-o', 'name'], ['jobs', 'show', 'a']]) {
      const result = await run(argv)
      check(result, {exit: 0}, argv.join(' '))
      expect(result.stdout, argv.join(' ')).not.to.match(CONTROL)
    }
  })

  it('error messages, JSON or plain text', async () => {
    env.server.on('GET', `${JOBS}/jobs/x`, {status: 400, body: {error: [`bad${CLEAR}`]}})
    env.server.on('GET', `${JOBS}/jobs/y`, {status: 500, body: `boom${TITLE}`})
    const bad = await run(['jobs', 'show', 'x'])
    check(bad, {exit: 1})
    expect(bad.stderr).to.equal('ERROR: bad\\x1b[2J\\x1b[H\n')
    const boom = await run(['jobs', 'show', 'y'])
    check(boom, {exit: 2})
    expect(boom.stderr.split('\n')[0]).to.equal('ERROR: boom\\x1b]0;pwned\\x07')
  })

  it('build show: the fields among our own labels', async () => {
    const build = {build_id: `b1${CLEAR}`, status: 'BUILD_RUNNING', message: `msg${TITLE}`, parameters: {source_url: 'https://x.test/r.git', envvars: {}}}
    env.server.on('GET', `${BUILDS}/builds/b1`, {status: 200, body: {build, messages: {}}})
    const result = await run(['build', 'show', 'b1'])
    check(result, {exit: 0})
    expect(result.stdout).not.to.match(CONTROL)
    expect(result.stdout).to.include('Message: msg\\x1b]0;pwned\\x07')
  })

  it('--json output is exact JSON, and so is the --json error line', async () => {
    const jobs = [job(`evil${CLEAR}`)]
    env.server.on('GET', `${JOBS}/jobs`, {status: 200, body: {jobs}})
    const listed = await run(['jobs', 'list', '--json'])
    check(listed, {exit: 0})
    expect(JSON.parse(listed.stdout)).to.deep.equal({jobs})
    expect(listed.stdout).to.include('evil\\u001b[2J\\u001b[H')

    env.server.on('GET', `${JOBS}/jobs/x`, {status: 400, body: {error: [`bad${CLEAR}`]}})
    const failed = await run(['jobs', 'show', 'x', '--json'])
    check(failed, {exit: 1})
    expect(JSON.parse(failed.stderr).error.message).to.equal(`bad${CLEAR}`)
  })
})
