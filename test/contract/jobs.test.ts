import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {ScriptedAnswer} from '../helpers/prism.js'
import {bodies, calls, type Contract, openContract, query, replay} from './replay.js'

// `toolforge jobs …` against the deployed jobs API contract (jobs-api.yaml 4.11.1). Prism answers with
// the spec's examples (one job, `my-job`, one-off); where a command needs another answer (a finished job
// for --wait, an NDJSON log stream) the answer is scripted after Prism has validated the request.

const JOBS = '/v1/tool/mytool/jobs'

/** A DefinedOneOffJob in its final state, valid against the spec. */
function finishedJob(name: string): ScriptedAnswer {
  const job = {name, cmd: './run.sh', imagename: 'python3.11', job_type: 'one-off', status_short: 'Completed', status: {short: 'succeeded', duration: '5s'}}
  return {status: 200, body: {job, messages: {}}}
}

const LOG_LINE = {datetime: '2026-07-01T10:00:00Z', pod: 'my-job-7d9f', container: 'job', message: 'hello from the job'}
const logStream = (): ScriptedAnswer => ({status: 200, contentType: 'text/plain; charset=utf8', body: `${JSON.stringify(LOG_LINE)}\n`})

describe('contract: jobs commands against jobs-api.yaml (Prism)', function () {
  this.timeout(60_000)
  let c: Contract

  before(async () => {
    c = await openContract('jobs-api.yaml')
  })
  after(async () => c?.close())

  describe('jobs run', () => {
    it('one-off', async () => {
      const {exchanges} = await replay(c, ['jobs', 'run', 'myjob', '--command', './run.sh --with-args', '--image', 'python3.11'])
      expect(calls(exchanges)).to.deep.equal([`POST ${JOBS}`])
      expect(bodies(exchanges, 'POST', '/jobs')[0]).to.deep.equal({
        name: 'myjob',
        cmd: './run.sh --with-args',
        imagename: 'python3.11',
        job_type: 'one-off',
        filelog: true,
      })
    })

    it('one-off with --wait, polling until the job succeeded', async () => {
      const {exchanges} = await replay(c, ['jobs', 'run', 'myjob', '--command', './run.sh', '--image', 'python3.11', '--retry', '2', '--wait', '60'], {
        script: {respond: (r) => (r.method === 'GET' ? finishedJob('myjob') : undefined)},
      })
      expect(calls(exchanges)).to.deep.equal([`POST ${JOBS}`, `GET ${JOBS}/myjob`])
      expect(bodies(exchanges, 'POST', '/jobs')[0]).to.include({job_type: 'one-off', retry: 2})
    })

    it('scheduled with a macro and a timeout', async () => {
      const args = ['jobs', 'run', 'nightly', '--command', './nightly.sh', '--image', 'python3.11', '--schedule', '@daily', '--timeout', '3600']
      const {exchanges} = await replay(c, [...args, '--emails', 'onfailure', '--no-filelog'])
      expect(bodies(exchanges, 'POST', '/jobs')[0]).to.include({job_type: 'scheduled', schedule: '@daily', timeout: 3600, emails: 'onfailure', filelog: false})
    })

    it('continuous with a port, an http health check, replicas, memory and cpu', async () => {
      const flags = ['--continuous', '--port', '8080', '--health-check-http', '/healthz', '--replicas', '2', '--mem', '1Gi', '--cpu', '500m']
      const {exchanges} = await replay(c, ['jobs', 'run', 'bot', '--command', './bot.py', '--image', 'python3.11', ...flags])
      const [body] = bodies(exchanges, 'POST', '/jobs')
      expect(body).to.include({job_type: 'continuous', port: 8080, replicas: 2, memory: '1Gi', cpu: '500m'})
      expect(body.health_check).to.deep.equal({type: 'http', path: '/healthz'})
    })

    it('continuous with a udp port and a script health check', async () => {
      const flags = ['--continuous', '--port', '5353/udp', '--health-check-script', './healthy.sh']
      const {exchanges} = await replay(c, ['jobs', 'run', 'dns', '--command', './dns.py', '--image', 'python3.11', ...flags])
      const [body] = bodies(exchanges, 'POST', '/jobs')
      expect(body).to.include({port: 5353, port_protocol: 'udp'})
      expect(body.health_check).to.deep.equal({type: 'script', script: './healthy.sh'})
    })

    it('with a build service image (no file logs, no NFS)', async () => {
      const {exchanges} = await replay(c, ['jobs', 'run', 'worker', '--command', 'worker', '--image', 'tool-mytool/tool-mytool:latest', '--mount', 'none'])
      expect(bodies(exchanges, 'POST', '/jobs')[0]).to.include({imagename: 'tool-mytool/tool-mytool:latest', filelog: false, mount: 'none'})
    })
  })

  describe('jobs list', () => {
    for (const mode of ['normal', 'long', 'name']) {
      it(`-o ${mode}`, async () => {
        const {result, exchanges} = await replay(c, ['jobs', 'list', '-o', mode])
        expect(calls(exchanges)).to.deep.equal([`GET ${JOBS}`])
        expect(query(exchanges[0])).to.deep.equal({include_unset: 'true'})
        expect(result.stdout).to.contain('my-job')
      })
    }

    it('--json', async () => {
      const {result} = await replay(c, ['jobs', 'list', '--json'])
      expect((JSON.parse(result.stdout) as {jobs: {name: string}[]}).jobs.map((j) => j.name)).to.deep.equal(['my-job'])
    })
  })

  it('jobs show', async () => {
    const {result, exchanges} = await replay(c, ['jobs', 'show', 'my-job'])
    expect(calls(exchanges)).to.deep.equal([`GET ${JOBS}/my-job`])
    expect(result.stdout).to.contain('my-job')
  })

  describe('jobs logs', () => {
    // Prism's example for a text/plain string schema is the word "string", not a log record.
    const script = {respond: () => logStream()}

    it('all lines', async () => {
      const {result, exchanges} = await replay(c, ['jobs', 'logs', 'my-job'], {script})
      expect(calls(exchanges)).to.deep.equal([`GET ${JOBS}/my-job/logs`])
      expect(query(exchanges[0])).to.deep.equal({follow: 'false'})
      expect(result.stdout).to.contain('[my-job-7d9f] [job] hello from the job')
    })

    it('-l (last lines)', async () => {
      const {exchanges} = await replay(c, ['jobs', 'logs', 'my-job', '-l', '5'], {script})
      expect(query(exchanges[0])).to.deep.equal({follow: 'false', lines: '5'})
    })
  })

  it('jobs wait', async () => {
    const {exchanges} = await replay(c, ['jobs', 'wait', 'myjob', '--timeout', '30'], {script: {respond: () => finishedJob('myjob')}})
    expect(calls(exchanges)).to.deep.equal([`GET ${JOBS}/myjob`])
  })

  it('jobs delete --yes', async () => {
    const {exchanges} = await replay(c, ['jobs', 'delete', 'my-job', '--yes'])
    expect(calls(exchanges)).to.deep.equal([`DELETE ${JOBS}/my-job`])
  })

  it('jobs flush --yes', async () => {
    const {exchanges} = await replay(c, ['jobs', 'flush', '--yes'])
    expect(calls(exchanges)).to.deep.equal([`DELETE ${JOBS}`])
  })

  it('jobs restart', async () => {
    const {exchanges} = await replay(c, ['jobs', 'restart', 'my-job'])
    expect(calls(exchanges)).to.deep.equal([`POST ${JOBS}/my-job/restart`])
    expect(exchanges[0].body).to.equal('')
  })

  it('jobs images', async () => {
    const {exchanges} = await replay(c, ['jobs', 'images'])
    expect(calls(exchanges)).to.deep.equal(['GET /v1/tool/mytool/images'])
  })

  it('jobs quota', async () => {
    const {exchanges} = await replay(c, ['jobs', 'quota'])
    expect(calls(exchanges)).to.deep.equal(['GET /v1/tool/mytool/quotas'])
  })

  it('jobs load (one-off, scheduled, continuous and build service jobs)', async () => {
    const file = join(c.tool.home, 'jobs.yaml')
    writeFileSync(
      file,
      [
        '- {name: once, command: ./once.sh, image: python3.11, retry: 1}',
        "- {name: nightly, command: ./nightly.sh, image: python3.11, schedule: '@daily', timeout: 3600, emails: onfailure}",
        "- {name: bot, command: ./bot.py, image: python3.11, continuous: true, port: 8080, health-check-http: /healthz, replicas: 2, mem: 1Gi, cpu: '0.5'}",
        '- {name: dns, command: ./dns.py, image: python3.11, continuous: true, port: 5353/udp, health-check-script: ./healthy.sh}',
        '- {name: web, command: web, image: tool-mytool/tool-mytool:latest, continuous: true, port: 8000/tcp, mount: none}',
        '',
      ].join('\n'),
    )
    const {exchanges} = await replay(c, ['jobs', 'load', file])
    const sent = bodies(exchanges, 'PATCH', '/jobs')
    expect(calls(exchanges)).to.deep.equal(Array.from({length: 5}, () => `PATCH ${JOBS}`))
    expect(sent.map((b) => `${String(b.name)}:${String(b.job_type)}`)).to.deep.equal([
      'once:one-off',
      'nightly:scheduled',
      'bot:continuous',
      'dns:continuous',
      'web:continuous',
    ])
    expect(sent[2]).to.include({port: 8080, replicas: 2})
  })

  it('jobs dump -f, and loading the file it wrote', async () => {
    // -f rather than stdout: API info messages are printed on stdout too (upstream's rule, config-auth.md
    // §7), and Prism's example carries one ("string"), which would end up in a redirected dump.
    const file = join(c.tool.home, 'dumped.yaml')
    const dumped = await replay(c, ['jobs', 'dump', '-f', file])
    expect(calls(dumped.exchanges)).to.deep.equal([`GET ${JOBS}`])
    // dump asks for the options as they were given, so the file keeps following platform defaults.
    expect(query(dumped.exchanges[0])).to.deep.equal({include_unset: 'false'})
    expect(readFileSync(file, 'utf8')).to.contain('name: my-job')

    const loaded = await replay(c, ['jobs', 'load', file])
    expect(bodies(loaded.exchanges, 'PATCH', '/jobs').map((b) => b.name)).to.deep.equal(['my-job'])
  })
})
