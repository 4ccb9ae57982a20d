import {expect} from 'chai'
import {chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {run} from '../helpers/run.js'
import {type FaultEnv, faultEnv, job, JOBS} from './env.js'
import type {Fault} from './fault-server.js'
import {check} from './tally.js'

const OLD = '- {name: keep-me, command: ./old.sh, image: bookworm}\n'

describe('reliability: data safety', () => {
  let env: FaultEnv
  beforeEach(async () => {
    env = await faultEnv()
  })
  afterEach(async () => env.close())

  describe('jobs dump -f replaces the file whole or not at all', () => {
    const failures: [string, Fault, number][] = [
      ['a 500', {status: 500, body: {error: ['Unknown error']}}, 2],
      ['a dropped connection', {reset: true}, 2],
      ['an HTML page', {status: 200, body: '<html>proxy error</html>'}, 2],
      ['a response cut off mid-way', {chunks: ['{"jobs": [{"name": "a", "cmd": "x", "imagename": "bookworm"}, {"na'], cut: true}, 2],
      ['a job of the wrong shape', {status: 200, body: {jobs: [{name: 'a'}, {name: 7}]}}, 2],
      ['a 403', {status: 403, body: {error: ['Forbidden']}}, 1],
    ]
    for (const [label, fault, exit] of failures) {
      it(`${label}: the old file is kept, no temporary file is left`, async () => {
        const file = join(env.tool.home, 'jobs.yaml')
        writeFileSync(file, OLD, {mode: 0o640})
        env.server.on('GET', `${JOBS}/jobs`, fault)
        const result = await run(['jobs', 'dump', '-f', file])
        check(result, {exit}, label)
        expect(readFileSync(file, 'utf8')).to.equal(OLD)
        expect(statSync(file).mode & 0o777).to.equal(0o640)
        expect(readdirSync(env.tool.home).filter((name) => name.includes('jobs.yaml'))).to.deep.equal(['jobs.yaml'])
      })
    }

    it('a folder it may not write to: the old file is kept (exit 1)', async function () {
      // root writes anywhere; the check below is then meaningless.
      if (process.getuid?.() === 0) this.skip()
      const folder = join(env.tool.home, 'ro')
      mkdirSync(folder)
      const file = join(folder, 'jobs.yaml')
      writeFileSync(file, OLD)
      chmodSync(folder, 0o555)
      env.server.on('GET', `${JOBS}/jobs`, {status: 200, body: {jobs: [job('new')]}})
      try {
        const result = await run(['jobs', 'dump', '-f', file])
        check(result, {exit: 1})
        expect(result.stderr).to.equal(`ERROR: Unable to write '${file}': permission denied\n`)
        expect(readFileSync(file, 'utf8')).to.equal(OLD)
      } finally {
        chmodSync(folder, 0o755)
      }
    })

    it('success replaces the content and keeps the mode', async () => {
      const file = join(env.tool.home, 'jobs.yaml')
      writeFileSync(file, OLD, {mode: 0o600})
      env.server.on('GET', `${JOBS}/jobs`, {status: 200, body: {jobs: [job('fresh', {schedule: '@daily', job_type: 'scheduled'})]}})
      check(await run(['jobs', 'dump', '-f', file]), {exit: 0})
      expect(readFileSync(file, 'utf8')).to.equal("- command: ./run.sh\n  image: bookworm\n  name: fresh\n  schedule: '@daily'\n")
      expect(statSync(file).mode & 0o777).to.equal(0o600)
    })
  })

  describe('jobs load changes only what the file names, and says exactly what changed', () => {
    const FILE = [
      '- {name: same, command: ./same.sh, image: bookworm, schedule: "@daily"}',
      '- {name: changed, command: ./changed.sh, image: bookworm, continuous: true}',
      '- {name: fresh, command: ./fresh.sh, image: bookworm, schedule: "@hourly"}',
      '',
    ].join('\n')

    function answerByName(answers: Record<string, Fault>): void {
      // The fault server answers by path; all PATCHes share one, so script them in file order.
      env.server.on('PATCH', `${JOBS}/jobs`, ...['same', 'changed', 'fresh'].map((name) => answers[name]))
    }

    it('never deletes or creates behind the file: PATCH per entry, in order, nothing else', async () => {
      const file = join(env.tool.home, 'jobs.yaml')
      writeFileSync(file, FILE)
      answerByName({
        same: {status: 200, body: {job_changed: false, messages: {info: ['Job same is already up to date']}}},
        changed: {status: 200, body: {job_changed: true, messages: {info: ['Job changed updated']}}},
        fresh: {status: 200, body: {job_changed: true, messages: {info: ['Job fresh created in storage and runtime']}}},
      })
      const result = await run(['jobs', 'load', file, '--json'])
      check(result, {exit: 0})
      expect(env.server.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(Array(3).fill(`PATCH ${JOBS}/jobs`))
      expect(env.server.requests.map((r) => JSON.parse(r.body).name)).to.deep.equal(['same', 'changed', 'fresh'])
      const results = JSON.parse(result.stdout) as {name: string; status: string; changed: boolean}[]
      expect(results.map(({name, status, changed}) => [name, status, changed])).to.deep.equal([
        ['same', 'loaded', false],
        ['changed', 'loaded', true],
        ['fresh', 'loaded', true],
      ])
    })

    it('a failure in the middle: the others are applied, and the report names each outcome (exit 2)', async () => {
      const file = join(env.tool.home, 'jobs.yaml')
      writeFileSync(file, FILE)
      answerByName({
        same: {status: 200, body: {job_changed: false, messages: {info: ['Job same is already up to date']}}},
        changed: {status: 500, body: {error: ['Unknown error (etcd timeout)']}},
        fresh: {status: 200, body: {job_changed: true, messages: {info: ['Job fresh created in storage and runtime']}}},
      })
      const result = await run(['jobs', 'load', file])
      check(result, {exit: 2})
      expect(result.stdout).to.equal([
        "loading job 'same'...", 'Job same is already up to date', "loading job 'changed'...", "loading job 'fresh'...",
        'Job fresh created in storage and runtime', '2 job(s) loaded successfully: same, fresh', '',
      ].join('\n'))
      expect(result.stderr).to.include("ERROR: failed to load job 'changed': Unknown error (etcd timeout)\n")
      expect(result.stderr).to.include('ERROR: 1 job(s) failed to load: changed\n')
      expect(env.server.requests.every((r) => r.method === 'PATCH')).to.equal(true)
    })
  })
})
