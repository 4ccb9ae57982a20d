import {expect} from 'chai'
import nock from 'nock'

import {run} from '../helpers/run.js'
import {BUILDS, type FaultEnv, faultEnv, job, JOBS, withEnv} from './env.js'
import {check} from './tally.js'

// A server that accepts a request and never answers (or stops half-way) must not hold a command past
// the time it was given: the wait's own timeout, or the read timeout of a log that is not followed.

const LOGS = `${JOBS}/jobs/mybot/logs`
const record = (n: number) => JSON.stringify({pod: 'mybot-x', container: 'job', datetime: `2025-10-15T19:45:0${n}+00:00`, message: `line ${n}`}) + '\n'

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now()
  const result = await fn()
  return [result, Date.now() - started]
}

describe('reliability: time limits hold while a request is under way', () => {
  let env: FaultEnv
  afterEach(async () => env.close())

  describe('waiting for a job ends on time, with the wait timeout message', () => {
    beforeEach(async () => {
      env = await faultEnv({config: 'jobs:\n  timeout: 15\n'})
    })

    it('jobs wait --timeout 1, the first poll never answered', async () => {
      env.server.on('GET', `${JOBS}/jobs/myjob`, {hang: true})
      const [result, ms] = await timed(() => run(['jobs', 'wait', 'myjob', '--timeout', '1']))
      check(result, {exit: 2})
      expect(ms).to.be.lessThan(4000)
      expect(result.stderr.split('\n')[0]).to.equal("ERROR: timed out 1 seconds waiting for job 'myjob' to complete")
    })

    it('jobs wait --timeout 1, a later poll never answered: the last state seen is shown', async () => {
      env.server.on('GET', `${JOBS}/jobs/myjob`, {status: 200, body: {job: job('myjob')}}, {hang: true})
      const [result, ms] = await withEnv({TOOLFORGE_WAIT_INTERVAL_MS: '100'}, () => timed(() => run(['jobs', 'wait', 'myjob', '--timeout', '1'])))
      check(result, {exit: 2})
      expect(ms).to.be.lessThan(4000)
      expect(result.stderr).to.match(/^ERROR: timed out 1 seconds waiting for job 'myjob' to complete:\n.*Job name:.*myjob/s)
      expect(env.server.count('GET')).to.equal(2)
    })

    it('jobs run --wait 1, the poll never answered', async () => {
      env.server.on('POST', `${JOBS}/jobs`, {status: 200, body: {job: job('myjob')}})
      env.server.on('GET', `${JOBS}/jobs/myjob`, {hang: true})
      const [result, ms] = await timed(() => run(['jobs', 'run', 'myjob', '--command', './run.sh', '--image', 'bookworm', '--wait', '1']))
      check(result, {exit: 2})
      expect(ms).to.be.lessThan(4000)
      expect(result.stderr.split('\n')[0]).to.equal("ERROR: timed out 1 seconds waiting for job 'myjob' to complete")
    })
  })

  describe('the read timeout is the longest wait for the next part of an answer', () => {
    beforeEach(async () => {
      env = await faultEnv({config: 'jobs:\n  timeout: 0.5\n'})
    })

    it('an answer that trickles in, every part within it, is read whole', async () => {
      const body = JSON.stringify({jobs: [job('a')]})
      env.server.on('GET', `${JOBS}/jobs`, {chunks: [body.slice(0, 10), body.slice(10, 20), body.slice(20, 30), body.slice(30)], intervalMs: 300, headers: {'Content-Type': 'application/json'}})
      // nock's interception, even of requests it lets through, delivers a response only once it is complete.
      nock.restore()
      let result
      try {
        result = await run(['jobs', 'list', '-o', 'name'])
      } finally {
        nock.activate()
      }

      check(result, {exit: 0})
      expect(result.stdout).to.equal('a\n')
    })

    it('a pause longer than it in the middle of an answer: timed out, exit 2', async () => {
      env.server.on('GET', `${JOBS}/jobs`, {chunks: ['{"jobs": [', ']}'], intervalMs: 1500, headers: {'Content-Type': 'application/json'}})
      const [result, ms] = await timed(() => run(['jobs', 'list']))
      check(result, {exit: 2})
      expect(ms).to.be.lessThan(1400)
      expect(result.stderr.split('\n')[0]).to.match(/timed out after 0\.5 s$/)
    })
  })

  describe('logs without -f have the read timeout; with -f none', () => {
    beforeEach(async () => {
      env = await faultEnv({config: 'jobs:\n  timeout: 0.5\nbuilds:\n  timeout: 0.5\n'})
    })

    it('jobs logs: no answer at all', async () => {
      env.server.on('GET', LOGS, {hang: true})
      const [result, ms] = await timed(() => run(['jobs', 'logs', 'mybot']))
      check(result, {exit: 2})
      expect(ms).to.be.lessThan(3000)
      expect(result.stderr.split('\n')[0]).to.match(/^ERROR: Request to http:\/\/127\.0\.0\.1:\d+\/jobs\/v1\/tool\/mytool\/jobs\/mybot\/logs\S* timed out after 0\.5 s$/)
    })

    it('jobs logs: the stream stops sending half-way', async () => {
      env.server.on('GET', LOGS, {chunks: [record(1), record(2)], intervalMs: 5000})
      const [result, ms] = await timed(() => run(['jobs', 'logs', 'mybot']))
      check(result, {exit: 2})
      expect(ms).to.be.lessThan(3000)
      expect(result.stdout).to.equal('2025-10-15T19:45:01+00:00 [mybot-x] [job] line 1\n')
      expect(result.stderr.split('\n')[0]).to.match(/^ERROR: Request to .+\/jobs\/mybot\/logs\S* timed out: nothing received for 0\.5 s$/)
    })

    it('build logs: no answer at all, and a stream that stops', async () => {
      env.server.on('GET', `${BUILDS}/builds/b1/logs`, {hang: true}, {chunks: ['{"line": "one"}\n', '{"line": "two"}\n'], intervalMs: 5000})
      for (const expected of [/timed out after 0\.5 s$/, /timed out: nothing received for 0\.5 s$/]) {
        const [result, ms] = await timed(() => run(['build', 'logs', 'b1']))
        check(result, {exit: 2})
        expect(ms).to.be.lessThan(3000)
        expect(result.stderr.split('\n').find((line) => line.startsWith('ERROR: '))).to.match(expected)
      }
    })

    it('jobs logs -f: an error whose body never ends is reported after the read timeout', async () => {
      env.server.on('GET', LOGS, {status: 500, chunks: ['{"error": ["boom', '"]}'], intervalMs: 5000})
      const [result, ms] = await timed(() => run(['jobs', 'logs', 'mybot', '-f']))
      check(result, {exit: 2})
      expect(ms).to.be.lessThan(3000)
      expect(result.stderr.split('\n')[0]).to.equal('ERROR: {"error": ["boom')
    })

    it('jobs logs -f: lines further apart than the read timeout are waited for', async () => {
      env.server.on('GET', LOGS, {chunks: [record(1), record(2), record(3)], intervalMs: 800})
      const result = await run(['jobs', 'logs', 'mybot', '-f'])
      check(result, {exit: 0})
      expect(result.stdout.split('\n').filter(Boolean)).to.have.length(3)
    })
  })
})
