import {expect} from 'chai'
import nock from 'nock'

import {run} from '../helpers/run.js'
import {API, makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'
import {BUILDS, ENVVARS, JOBS} from './env.js'
import {check} from './tally.js'

// What a proxy or a skewed API version may send instead of the documented bodies. Every one must end in a
// clear "invalid response" (exit 2): never a TypeError, never a silently empty table.

const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'
const EVERYWHERE: [string, string][] = [
  ['an HTML page with status 200', HTML],
  ['truncated JSON', '{"messages": {}, "data": [{"name": "a'],
  ['JSON null', 'null'],
  ['a JSON array', '[]'],
  ['a JSON string', '"ok"'],
  ['a number', '42'],
]

interface Target {
  argv: string[]
  path: string
  /** Bodies that are JSON objects of the wrong shape for this endpoint. */
  wrong: unknown[]
}

const TARGETS: Target[] = [
  {
    argv: ['jobs', 'list', '-o', 'long'],
    path: `${JOBS}/jobs`,
    wrong: [
      {}, {jobs: 'x'}, {jobs: {}}, {jobs: [null]}, {jobs: [42]}, {jobs: [{}]}, {jobs: [{name: 5}]},
      {jobs: [{name: 'a', status_short: {}}]}, {jobs: [{name: 'a', health_check: 'x'}]}, {jobs: [{name: 'a', port: '80'}]},
      {jobs: [{name: 'a', status: {short: 1}}]}, {jobs: [{name: 'a', replicas: 1.5}]},
    ],
  },
  {
    argv: ['jobs', 'show', 'myjob'],
    path: `${JOBS}/jobs/myjob`,
    wrong: [{}, {job: []}, {job: 'myjob'}, {job: {name: 'myjob', cmd: ['a']}}, {job: {name: 'myjob', timeout: 'never'}}, {job: {name: 'myjob', health_check: {script: 'x'}}}],
  },
  {argv: ['jobs', 'images'], path: `${JOBS}/images`, wrong: [{}, {images: null}, {images: [{shortname: null}]}, {images: [{shortname: 'a', image: 3}]}]},
  {
    argv: ['jobs', 'quota'],
    path: `${JOBS}/quotas`,
    wrong: [{}, {quota: {}}, {quota: {categories: [{name: 'x', items: 'y'}]}}, {quota: {categories: [{name: 'x', items: [{name: 'a', used: 5}]}]}}],
  },
  {argv: ['build', 'list'], path: `${BUILDS}/builds`, wrong: [{builds: 'x'}, {builds: [null]}, {builds: [{status: 5}]}, {builds: [{parameters: {envvars: ['A=1']}}]}]},
  {argv: ['build', 'show', 'b1'], path: `${BUILDS}/builds/b1`, wrong: [{}, {build: 'x'}, {build: {parameters: 'x'}}, {build: {start_time: 1}}]},
  {argv: ['envvars', 'list'], path: `${ENVVARS}/envvars`, wrong: [{}, {envvars: [{name: 'MY_VAR'}]}, {envvars: 'x'}]},
  {argv: ['envvars', 'show', 'MY_VAR'], path: `${ENVVARS}/envvars/MY_VAR`, wrong: [{}, {envvar: null}, {envvar: {name: 'MY_VAR', value: 1}}]},
]

describe('reliability: malformed responses', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => tool.restore())

  for (const target of TARGETS) {
    describe(`toolforge ${target.argv.join(' ')}`, () => {
      const bodies: [string, string][] = [...EVERYWHERE, ...target.wrong.map((body): [string, string] => [JSON.stringify(body), JSON.stringify(body)])]
      for (const [label, body] of bodies) {
        it(`${label} → exit 2, a clear error`, async () => {
          const scope = nock(API).get(target.path).query(true).reply(200, body, {'Content-Type': body.startsWith('<') ? 'text/html' : 'application/json'})
          const result = await run(target.argv)
          check(result, {exit: 2}, label)
          expect(scope.isDone()).to.equal(true)
          expect(result.stdout).to.equal('')
          expect(result.stderr.split('\n')[0]).to.match(/^ERROR: Invalid response from /)
        })
      }
    })
  }

  describe('toolforge jobs logs', () => {
    const R1 = {pod: 'p-1', container: 'job', datetime: '2025-10-15T19:45:01+00:00', message: 'one'}
    const logs = (body: string) => nock(API).get(`${JOBS}/jobs/myjob/logs`).query(true).reply(200, body, {'Content-Type': 'text/plain'})

    it('an HTML page instead of log records → exit 2, without a warning per line', async () => {
      logs(`${HTML.replaceAll('><', '>\n<')}\n`)
      const result = await run(['jobs', 'logs', 'myjob'])
      check(result, {exit: 2})
      expect(result.stderr.split('\n')[0]).to.match(/^ERROR: Invalid response from the jobs API: an HTML page instead of log records/)
      expect(result.stderr).not.to.include('WARNING')
    })

    it('a stream that ends inside a record → what arrived, then exit 2', async () => {
      logs(`${JSON.stringify(R1)}\n{"pod": "p-1", "container": "job", "mess`)
      const result = await run(['jobs', 'logs', 'myjob'])
      check(result, {exit: 2})
      expect(result.stdout).to.equal('2025-10-15T19:45:01+00:00 [p-1] [job] one\n')
      expect(result.stderr.split('\n')[0]).to.match(/^ERROR: The log stream from the jobs API ended in the middle of a record/)
    })

    it('a 200 with a JSON error body instead of NDJSON is not mistaken for a log', async () => {
      logs('{"error": ["boom"]')
      check(await run(['jobs', 'logs', 'myjob']), {exit: 2})
    })
  })
})
