import {expect} from 'chai'

import {run} from '../helpers/run.js'
import {startSilentServer} from './fault-server.js'
import {type FaultEnv, faultEnv, job, JOBS, withEnv} from './env.js'
import {check} from './tally.js'

const DOWN = 'The jobs service seems to be down – please retry in a few minutes.'

describe('reliability: faults on the way to the API', () => {
  let env: FaultEnv
  afterEach(async () => env.close())

  describe('idempotent requests are retried with back-off', () => {
    beforeEach(async () => {
      env = await faultEnv()
    })

    const cases: [string, Parameters<FaultEnv['server']['on']>[2][], number, number][] = [
      ['503, 503, then 200', [{status: 503, body: 'busy'}, {status: 503, body: 'busy'}, {status: 200, body: {jobs: []}}], 3, 0],
      ['two dropped connections, then 200', [{reset: true}, {reset: true}, {status: 200, body: {jobs: []}}], 3, 0],
      ['504 then 200', [{status: 504, body: '<html>Gateway Timeout</html>'}, {status: 200, body: {jobs: []}}], 2, 0],
      ['502 for good: 1 try + 3 retries, exit 2', [{status: 502, body: '<html>Bad Gateway</html>'}], 4, 2],
      ['500 is an answer, not retried', [{status: 500, body: {error: ['Unknown error (boom)']}}], 1, 2],
    ]
    for (const [label, faults, attempts, exit] of cases) {
      it(`GET: ${label}`, async () => {
        env.server.on('GET', `${JOBS}/jobs`, ...faults)
        const result = await run(['jobs', 'list'])
        check(result, {exit}, label)
        expect(env.server.count('GET', `${JOBS}/jobs`)).to.equal(attempts)
      })
    }

    it('GET that never recovers names the service and says it is down', async () => {
      env.server.on('GET', `${JOBS}/jobs`, {status: 503, body: 'busy'})
      const result = await run(['jobs', 'list'])
      check(result, {exit: 2})
      expect(result.stderr.split('\n')[0]).to.equal(`ERROR: ${DOWN} (busy)`)
    })

    it('DELETE: 502 then 200 deletes once, exit 0', async () => {
      env.server.on('DELETE', `${JOBS}/jobs/myjob`, {status: 502, body: 'Bad Gateway'}, {status: 200, body: {messages: {}}})
      check(await run(['jobs', 'delete', 'myjob']), {exit: 0})
      expect(env.server.count('DELETE')).to.equal(2)
    })

    it('PATCH (load): a dropped connection, then the same body again', async () => {
      const file = `${env.tool.home}/jobs.yaml`
      await import('node:fs').then(({writeFileSync}) => writeFileSync(file, '- {name: nightly, command: ./n.sh, image: bookworm, schedule: "@daily"}\n'))
      env.server.on('PATCH', `${JOBS}/jobs`, {reset: true}, {status: 200, body: {job_changed: true, messages: {info: ['Job nightly created']}}})
      check(await run(['jobs', 'load', file]), {exit: 0})
      const patches = env.server.requests.filter((r) => r.method === 'PATCH')
      expect(patches).to.have.length(2)
      expect(patches[1].body).to.equal(patches[0].body)
    })

    it('backs off exponentially between attempts', async () => {
      env.server.on('GET', `${JOBS}/jobs`, {status: 503, body: 'busy'}, {status: 503, body: 'busy'}, {status: 503, body: 'busy'}, {status: 200, body: {jobs: []}})
      const result = await withEnv({TOOLFORGE_RETRY_BASE_MS: '40'}, () => run(['jobs', 'list']))
      check(result, {exit: 0})
      const times = env.server.requests.map((r) => r.at)
      const gaps = times.slice(1).map((t, i) => t - times[i])
      expect(gaps).to.have.length(3)
      // 40, 80, 160 ms (the base, then doubling), each plus up to 20 % jitter; timers never fire early,
      // a millisecond of clock rounding aside.
      for (const [i, gap] of gaps.entries()) expect(gap, `gap ${i + 1} of ${gaps.join(', ')} ms`).to.be.at.least(2 ** i * 40 - 2)
      // The first back-off is the base itself, not twice it (48 ms at most, plus a loopback round trip).
      expect(gaps[0], `gaps ${gaps.join(', ')} ms`).to.be.lessThan(78)
      expect(gaps[2]).to.be.greaterThan(gaps[0])
    })

    it("waits as long as a 503's Retry-After asks", async () => {
      env.server.on('GET', `${JOBS}/jobs`, {status: 503, body: 'busy', headers: {'Retry-After': '1'}}, {status: 200, body: {jobs: []}})
      check(await withEnv({TOOLFORGE_RETRY_BASE_MS: '40'}, () => run(['jobs', 'list'])), {exit: 0})
      const [first, second] = env.server.requests.map((r) => r.at)
      expect(second - first).to.be.at.least(990)
    })
  })

  describe('timeouts name the URL and the time', () => {
    it('read timeout: exit 2 after the configured seconds, not retried', async () => {
      env = await faultEnv({config: 'jobs:\n  timeout: 0.3\n'})
      env.server.on('GET', `${JOBS}/jobs`, {hang: true})
      const started = Date.now()
      const result = await run(['jobs', 'list'])
      check(result, {exit: 2})
      expect(Date.now() - started).to.be.lessThan(3000)
      expect(result.stderr.split('\n')[0]).to.equal(`ERROR: Request to ${env.server.url}${JOBS}/jobs timed out after 0.3 s`)
      expect(env.server.count('GET')).to.equal(1)
    })

    it('after a retry the message still gives the configured timeout', async () => {
      env = await faultEnv({config: 'jobs:\n  timeout: 0.5\n'})
      env.server.on('GET', `${JOBS}/jobs`, {status: 503, body: 'busy'}, {hang: true})
      const result = await run(['jobs', 'list'])
      check(result, {exit: 2})
      expect(result.stderr.split('\n')[0]).to.match(/timed out after 0\.5 s$/)
    })

    for (const argv of [['jobs', 'list'], ['jobs', 'logs', 'mybot', '--follow']]) {
      it(`connect timeout (TLS handshake never completes): ${argv.join(' ')}`, async () => {
        const silent = await startSilentServer()
        env = await faultEnv({extraEnv: {TOOL_TOOLFORGE_API_URL: silent.url, TOOLFORGE_CONNECT_TIMEOUT: '0.3'}})
        try {
          const started = Date.now()
          const result = await run(argv)
          check(result, {exit: 2})
          expect(Date.now() - started).to.be.lessThan(3000)
          expect(result.stderr.split('\n')[0]).to.match(
            new RegExp(`^ERROR: Unable to connect to the jobs service at ${silent.url.replaceAll('.', '\\.')}${JOBS}/jobs\\S* within 0\\.3 s \\(connect timeout`),
          )
          expect(silent.connections()).to.equal(1)
        } finally {
          await silent.close()
        }
      })
    }
  })

  describe('POST /jobs is never repeated; a lost answer is looked up', () => {
    beforeEach(async () => {
      env = await faultEnv({config: 'jobs:\n  timeout: 0.5\n'})
    })

    const RUN = ['jobs', 'run', 'myjob', '--command', './run.sh', '--image', 'bookworm']
    const ours = {status: 200, body: {job: job('myjob')}}
    const cases: [string, Parameters<FaultEnv['server']['on']>[2], Parameters<FaultEnv['server']['on']>[2][], number, RegExp][] = [
      ['502, job absent', {status: 502, body: 'Bad Gateway'}, [{status: 404, body: {error: ["Job 'myjob' does not exist"]}}], 2, /Job 'myjob' was not created .*safe to run the command again/],
      ['504, job present', {status: 504, body: 'Gateway Timeout'}, [ours], 0, /WARNING: the jobs API did not confirm the request .* it was created/],
      ['connection reset, job present', {reset: true}, [ours], 0, /it was created/],
      ['read timeout, job present', {hang: true}, [ours], 0, /timed out after 0\.5 s.*it was created/],
      ['502, another job by that name', {status: 502, body: 'Bad Gateway'}, [{status: 200, body: {job: job('myjob', {cmd: './other.sh'})}}], 2, /exists, but with another command or image/],
      ['502, and the check fails too', {status: 502, body: 'Bad Gateway'}, [{status: 503, body: 'busy'}], 2, /unknown: checking failed too .*toolforge jobs show myjob/],
    ]
    for (const [label, fault, checks, exit, message] of cases) {
      it(`${label} → exit ${exit}`, async () => {
        env.server.on('POST', `${JOBS}/jobs`, fault)
        env.server.on('GET', `${JOBS}/jobs/myjob`, ...checks)
        const result = await run(RUN)
        check(result, {exit}, label)
        expect(env.server.count('POST')).to.equal(1)
        expect(env.server.count('GET', `${JOBS}/jobs/myjob`)).to.be.at.least(1)
        expect(result.stderr.replaceAll('\n', ' ')).to.match(message)
      })
    }

    for (const [status, exit] of [[503, 2], [409, 1], [500, 2]] as const) {
      it(`${status} is a definite answer: no lookup, exit ${exit}`, async () => {
        env.server.on('POST', `${JOBS}/jobs`, {status, body: {error: ['no']}})
        check(await run(RUN), {exit})
        expect(env.server.requests.map((r) => r.method)).to.deep.equal(['POST'])
      })
    }

    it('--wait goes on waiting for a job whose creation was confirmed by the lookup', async () => {
      env.server.on('POST', `${JOBS}/jobs`, {status: 504, body: 'Gateway Timeout'})
      env.server.on('GET', `${JOBS}/jobs/myjob`, ours, {status: 200, body: {job: job('myjob', {status_short: 'Completed'})}})
      const result = await withEnv({TOOLFORGE_WAIT_INTERVAL_MS: '1'}, () => run([...RUN, '--wait', '30']))
      check(result, {exit: 0})
      expect(result.stdout).to.equal("job 'myjob' completed\n")
    })

    it('other POSTs (restart) are not repeated either', async () => {
      env.server.on('POST', `${JOBS}/jobs/mybot/restart`, {status: 502, body: 'Bad Gateway'})
      check(await run(['jobs', 'restart', 'mybot']), {exit: 2})
      expect(env.server.count('POST')).to.equal(1)
    })
  })
})
