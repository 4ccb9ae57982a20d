import {expect} from 'chai'

import {ServerError, UserError} from '../../src/api/errors.js'
import type {DefinedJob} from '../../src/api/jobs-types.js'
import {jobState, pollJob, waitError} from '../../src/jobs/wait.js'

const job = (extra: Partial<DefinedJob> = {}): DefinedJob => ({name: 'myjob', cmd: './x', imagename: 'python3.11', job_type: 'one-off', ...extra})
const RUNNING = job({status_short: 'Running for 3s'})
const DONE = job({status_short: 'Completed'})
const FAILED = job({status_short: 'Failed', status_long: 'Exit code 1.'})
const GONE = new UserError("Job 'myjob' does not exist", {status: 404})

/** A client answering from a script, and a fake clock that sleeping advances. */
function fake(answers: Array<DefinedJob | Error>) {
  let time = 0
  const sleeps: number[] = []
  let calls = 0
  return {
    client: {
      async show() {
        const answer = answers[Math.min(calls++, answers.length - 1)]
        if (answer instanceof Error) throw answer
        return answer
      },
    },
    sleep: async (ms: number) => {
      sleeps.push(ms)
      time += ms
    },
    now: () => time,
    sleeps,
    get calls() {
      return calls
    },
  }
}

describe('pollJob', () => {
  it('polls every interval until the job completed', async () => {
    const f = fake([RUNNING, RUNNING, DONE])
    const result = await pollJob({name: 'myjob', timeoutSeconds: 600, client: f.client, sleep: f.sleep, now: f.now, intervalMs: 5000})
    expect(result.outcome).to.equal('completed')
    expect(f.sleeps).to.deep.equal([5000, 5000])
    expect(result.elapsedSeconds).to.equal(10)
  })

  it('reports a failed job with its last state', async () => {
    const f = fake([RUNNING, FAILED])
    const result = await pollJob({name: 'myjob', timeoutSeconds: 600, client: f.client, sleep: f.sleep, now: f.now})
    expect(result).to.include({outcome: 'failed'})
    expect(result.job).to.equal(FAILED)
  })

  it('prefers the v2 status.short over status_short', async () => {
    expect(jobState(job({status_short: 'Running', status: {short: 'succeeded', duration: '1s'}}))).to.equal('completed')
    expect(jobState(job({status_short: 'Completed', status: {short: 'failed', duration: '1s'}}))).to.equal('failed')
    expect(jobState(job({status_short: 'Completed', status: {short: 'running', duration: '1s'}}))).to.equal('pending')
    expect(jobState(job({status_short: 'Failed'}))).to.equal('failed')
  })

  it('Q-JOBS-01 fixed: a job that vanished is not reported as completed', async () => {
    const f = fake([RUNNING, GONE])
    const result = await pollJob({name: 'myjob', timeoutSeconds: 600, client: f.client, sleep: f.sleep, now: f.now})
    expect(result.outcome).to.equal('vanished')
    expect(result.job).to.equal(RUNNING)
  })

  it('a job never seen is vanished for run --wait, an error for jobs wait', async () => {
    expect((await pollJob({name: 'myjob', timeoutSeconds: 60, client: fake([GONE]).client})).outcome).to.equal('vanished')
    let caught: unknown
    try {
      await pollJob({name: 'myjob', timeoutSeconds: 60, client: fake([GONE]).client, mustExist: true})
    } catch (error) {
      caught = error
    }

    expect(caught).to.equal(GONE)
  })

  it('times out without sleeping past the deadline', async () => {
    const f = fake([RUNNING])
    const result = await pollJob({name: 'myjob', timeoutSeconds: 12, client: f.client, sleep: f.sleep, now: f.now, intervalMs: 5000})
    expect(result.outcome).to.equal('timeout')
    expect(f.sleeps).to.deep.equal([5000, 5000, 2000])
    expect(f.calls).to.equal(4)
    expect(result.elapsedSeconds).to.equal(12)
  })

  it('a poll still under way at the deadline is given up: the wait ends on time, as a timeout', async () => {
    const signals: (AbortSignal | undefined)[] = []
    // Answers only after 5 s, as a server that holds requests for the read timeout would, unless aborted.
    const show = (_name: string, opts: {signal?: AbortSignal} = {}) =>
      new Promise<DefinedJob>((resolve, reject) => {
        signals.push(opts.signal)
        const timer = setTimeout(() => reject(new ServerError('Request timed out after 5 s')), 5000)
        opts.signal?.addEventListener('abort', () => {
          clearTimeout(timer)
          reject(new Error('canceled'))
        })
      })
    const started = Date.now()
    const result = await pollJob({name: 'myjob', timeoutSeconds: 0.3, client: {show}})
    expect(result).to.deep.equal({outcome: 'timeout', job: undefined, elapsedSeconds: 0})
    expect(Date.now() - started).to.be.within(250, 2000)
    expect(signals).to.have.length(1)
  })

  it('lets other API errors through', async () => {
    const boom = new ServerError('down')
    let caught: unknown
    try {
      await pollJob({name: 'myjob', timeoutSeconds: 60, client: fake([RUNNING, boom]).client, sleep: async () => {}})
    } catch (error) {
      caught = error
    }

    expect(caught).to.equal(boom)
  })
})

describe('waitError', () => {
  it('nothing for a completed job', async () => {
    expect(await waitError({outcome: 'completed', job: DONE, elapsedSeconds: 1}, 'myjob', 600, 'mytool')).to.equal(undefined)
  })

  it('failed: exit 1 with the show table', async () => {
    const error = await waitError({outcome: 'failed', job: FAILED, elapsedSeconds: 1}, 'myjob', 600, 'mytool')
    expect(error?.message).to.equal("job 'myjob' failed:")
    expect(error?.exitCode).to.equal(1)
    expect(error?.display).to.include('| Status:       | Failed').and.include('| Hints:        | Exit code 1.')
  })

  it('timeout: exit 2 with the show table', async () => {
    const error = await waitError({outcome: 'timeout', job: RUNNING, elapsedSeconds: 30}, 'myjob', 30, 'mytool')
    expect(error?.message).to.equal("timed out 30 seconds waiting for job 'myjob' to complete:")
    expect(error?.exitCode).to.equal(2)
    expect(error?.display).to.include('Running for 3s')
  })

  it('timeout before the job was ever seen: no table, so no colon', async () => {
    const error = await waitError({outcome: 'timeout', elapsedSeconds: 30}, 'myjob', 30, 'mytool')
    expect(error?.message).to.equal("timed out 30 seconds waiting for job 'myjob' to complete")
    expect(error?.display).to.equal(undefined)
  })

  it('vanished: exit 1, final state unknown', async () => {
    const error = await waitError({outcome: 'vanished', job: RUNNING, elapsedSeconds: 30}, 'myjob', 30, 'mytool')
    expect(error?.message).to.equal("job 'myjob' no longer exists; its final state is unknown")
    expect(error?.exitCode).to.equal(1)
  })
})
