import {expect} from 'chai'
import nock from 'nock'

import {type RecordingServer, runCli, startRecordingServer} from '../helpers/subprocess.js'
import {JOBS, makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

// Ctrl-C is how following logs ends, so it is a success, as for `jobs logs -f` and `build logs -f`.
describe('webservice logs -f (the built CLI)', function () {
  this.timeout(60_000)
  let tool: ToolEnv
  let server: RecordingServer
  beforeEach(async () => {
    nock.enableNetConnect('127.0.0.1')
    server = await startRecordingServer((request, res) => {
      if (!request.url.startsWith(`${JOBS}/jobs/webservice/logs`)) {
        res.writeHead(404, {'Content-Type': 'application/json'}).end(JSON.stringify({error: ['not here']}))
        return
      }

      // One line, then the stream stays open, as a running webservice's log does.
      res.writeHead(200, {'Content-Type': 'text/plain'})
      res.write(`${JSON.stringify({pod: 'webservice-1', container: 'webservice', datetime: '2026-11-22T10:00:00Z', message: 'serving'})}\n`)
    })
    tool = makeToolEnv({apiUrl: server.url})
  })
  afterEach(async () => {
    tool.restore()
    await server.close()
    nock.disableNetConnect()
  })

  it('Ctrl-C while following exits 0 after the lines it showed', async () => {
    const {stdout, exitCode} = await runCli(['webservice', 'logs', '-f', '--backend', 'jobs-api'], {env: tool.env, interruptWhen: 'serving'})
    expect(stdout).to.include('serving')
    expect(exitCode).to.equal(0)
  })
})
