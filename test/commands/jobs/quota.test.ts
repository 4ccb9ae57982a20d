import {expect} from 'chai'
import nock from 'nock'
import {readFileSync} from 'node:fs'

import type {QuotaCategory} from '../../../src/api/jobs-types.js'
import {renderQuotaCategory} from '../../../src/jobs/quota.js'
import {run} from '../../helpers/run.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

// The upstream jobs-api fixture (what GET …/quotas puts under `quota`).
const FIXTURE = JSON.parse(
  readFileSync(new URL('../../../../shared/reference/examples/jobs-api/fixture-quota-expected-api-result.json', import.meta.url), 'utf8'),
) as {categories: QuotaCategory[]}

// jobs.md §2.9, verbatim.
const EXPECTED = [
  'Running jobs                                  Used    Limit',
  '--------------------------------------------  ------  -------',
  'Total running jobs at once (Kubernetes pods)  1       10',
  'Running one-off and cron jobs                 0       15',
  'CPU                                           0.5     4.0',
  'Memory                                        0.5Gi   8.0Gi',
  '',
  'Per-job limits    Used    Limit',
  '----------------  ------  -------',
  'CPU                       1.0',
  'Memory                    4.0Gi',
  '',
  'Job definitions                             Used    Limit',
  '----------------------------------------  ------  -------',
  'Cron jobs                                      5       50',
  'Continuous jobs (including web services)       1        3',
  '',
].join('\n')

describe('jobs quota', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => tool.restore())

  it('prints one "simple" table per category exactly like upstream', async () => {
    const scope = nock(API).get(`${JOBS}/quotas`).reply(200, {quota: FIXTURE, messages: {}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'quota'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal(EXPECTED)
    expect(scope.isDone()).to.equal(true)
  })

  it('with --json prints {categories: [...]} only', async () => {
    nock(API).get(`${JOBS}/quotas`).reply(200, {quota: FIXTURE, messages: {}})
    const {stdout, exitCode} = await run(['jobs', 'quota', '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal({categories: FIXTURE.categories})
  })

  it('rejects a response without categories (exit 2)', async () => {
    nock(API).get(`${JOBS}/quotas`).reply(200, {quota: {}, messages: {}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'quota'])
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr.split('\n')[0]).to.equal("ERROR: Invalid response from the jobs API: missing or wrong 'quota.categories'")
  })

  for (const [status, exit] of [[401, 1], [500, 2], [502, 2]] as const) {
    it(`maps HTTP ${status} to exit ${exit}`, async () => {
      nock(API).get(`${JOBS}/quotas`).times(4).reply(status, {error: [`no quota (${status})`]})
      const {stdout, stderr, exitCode} = await run(['jobs', 'quota'])
      expect(exitCode).to.equal(exit)
      expect(stdout).to.equal('')
      expect(stderr.split('\n')[0]).to.match(new RegExp(`^ERROR: .*no quota \\(${status}\\)`))
    })
  }
})

describe('quota table alignment', () => {
  const render = (used: (string | null)[], limit: (string | null)[]) =>
    renderQuotaCategory({name: 'X', items: used.map((u, i) => ({name: `item${i}`, used: u, limit: limit[i]}))})

  it('lines numbers up on the decimal point in numeric columns, like tabulate', () => {
    expect(render(['1', '0.25', '10.5'], ['2', '3', '4'])).to.equal(
      ['X        Used    Limit', '-----  ------  -------', 'item0    1           2', 'item1    0.25        3', 'item2   10.5         4'].join('\n'),
    )
  })

  it('keeps numeric text verbatim (no "4.0" → "4") and treats empty cells as not numbers', () => {
    expect(render([null, '2'], ['4.0', '1.0'])).to.equal(
      ['X        Used    Limit', '-----  ------  -------', 'item0              4.0', 'item1       2      1.0'].join('\n'),
    )
  })

  it('leaves a column left-aligned when any value is not a number', () => {
    expect(render(['1', '5Gi'], [null, null])).to.equal(['X      Used    Limit', '-----  ------  -------', 'item0  1', 'item1  5Gi'].join('\n'))
  })
})
