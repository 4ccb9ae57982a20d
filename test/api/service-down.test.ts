import {expect} from 'chai'
import nock from 'nock'

import {run} from '../helpers/run.js'
import {closedPort} from '../helpers/stubs.js'
import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

// A build or envvars service that cannot be reached "seems to be down" (config-auth.md §8.2); the
// address and the cause follow. The jobs CLI never said so, and its wording stays.

const DOWN = (service: string) => `ERROR: The ${service} service seems to be down – please retry in a few minutes. (Unable to reach `

describe('a refused connection', () => {
  let tool: ToolEnv
  let port: number
  beforeEach(async () => {
    port = await closedPort()
    tool = makeToolEnv({apiUrl: `http://127.0.0.1:${port}`, extraEnv: {CI: '1'}})
    nock.enableNetConnect('127.0.0.1')
  })
  afterEach(() => {
    nock.disableNetConnect()
    tool.restore()
  })

  for (const [service, argv, path] of [
    ['build', ['build', 'list'], '/builds/v1/tool/mytool/builds'],
    ['envvars', ['envvars', 'list'], '/envvars/v1/tool/mytool/envvars'],
  ] as const) {
    it(`says the ${service} service seems to be down, then where and why`, async () => {
      const {stderr, exitCode} = await run([...argv])
      expect(exitCode).to.equal(2)
      expect(stderr.split('\n')[0]).to.satisfy((line: string) => line.startsWith(`${DOWN(service)}http://127.0.0.1:${port}${path}: ECONNREFUSED`))
    })
  }

  it('keeps the jobs wording', async () => {
    const {stderr, exitCode} = await run(['jobs', 'list'])
    expect(exitCode).to.equal(2)
    expect(stderr.split('\n')[0]).to.match(new RegExp(`^ERROR: Unable to reach the jobs service at http://127\\.0\\.0\\.1:${port}/jobs/v1/tool/mytool/jobs\\S* \\(ECONNREFUSED`))
  })
})
