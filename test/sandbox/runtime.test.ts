import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {get as httpGet} from 'node:http'
import {request} from 'node:https'
import {join} from 'node:path'

import {certPaths} from '../../src/sandbox/certs.js'
import {allowLoopback, cleanup, type Harness, JOBS, processAlive, startHarness, waitFor} from './helpers.js'

const job = async (h: Harness, name: string): Promise<any> => (await h.client.call('GET', `${JOBS}/jobs/${name}`)).body.job

describe('sandbox runtime: jobs really run', () => {
  let h: Harness
  let clock = Date.parse('2030-01-01T00:00:30Z')
  before(async () => {
    allowLoopback()
    h = await startHarness({now: () => new Date(clock)})
  })
  beforeEach(allowLoopback)
  afterEach(async () => {
    await h.client.call('DELETE', `${JOBS}/jobs`)
  })
  after(async () => {
    await h.close()
    cleanup(h.dataDir)
  })

  it('runs a one-off job and serves its output as NDJSON logs', async () => {
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'hello', cmd: 'echo hi; echo there >&2', imagename: 'python3.11', filelog: false})
    await waitFor(async () => (await job(h, 'hello')).status_short === 'Completed' || undefined)
    const show = await job(h, 'hello')
    expect(show.status_long).to.match(/Pod in 'Succeeded' phase\. State 'terminated'\. Reason 'Completed'\. Started at '.*'\. Finished at '.*'\. Exit code '0'\.$/)
    expect(show.status.short).to.equal('succeeded')
    const logs = await h.client.call('GET', `${JOBS}/jobs/hello/logs`)
    expect(logs.headers['content-type']).to.equal('text/plain; charset=utf8')
    const lines = logs.text.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => l.message).sort()).to.deep.equal(['hi', 'there'])
    expect(lines[0]).to.have.keys('pod', 'container', 'datetime', 'message')
    expect(lines[0].pod).to.match(/^hello-[a-z0-9]{5}$/)
    expect(lines[0].container).to.equal('job')
    expect(lines[0].datetime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/)
    const last = await h.client.call('GET', `${JOBS}/jobs/hello/logs?lines=1`)
    expect(last.text.trim().split('\n')).to.have.length(1)
  })

  it('appends file logs in the sandbox home, custom paths included', async () => {
    const home = join(h.dataDir, 'home', 'tf-test')
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'filer', cmd: 'echo out; echo err >&2; echo $HOME $TOOL_DATA_DIR; pwd', imagename: 'bookworm'})
    await waitFor(async () => (await job(h, 'filer')).status_short === 'Completed' || undefined)
    expect(readFileSync(join(home, 'filer.out'), 'utf8')).to.equal(`out\n${home} ${home}\n${home}\n`)
    expect(readFileSync(join(home, 'filer.err'), 'utf8')).to.equal('err\n')
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'custom', cmd: 'echo a; echo b >&2', imagename: 'bookworm',
      filelog_stdout: '/data/project/tf-test/logs/both.log', filelog_stderr: 'logs/both.log'})
    await waitFor(async () => (await job(h, 'custom')).status_short === 'Completed' || undefined)
    expect(readFileSync(join(home, 'logs', 'both.log'), 'utf8').split('\n').sort().join('')).to.equal('ab')
  })

  it('retries a failing one-off job and reports the exit code', async () => {
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'flaky', cmd: 'echo try >> tries; exit 3', imagename: 'bookworm', retry: 2})
    await waitFor(async () => (await job(h, 'flaky')).status_short === 'Failed' || undefined)
    const show = await job(h, 'flaky')
    expect(show.status_long).to.include("Exit code '3'")
    expect(show.status).to.deep.include({short: 'failed'})
    expect(show.status.messages).to.include('exitcode 3')
    expect(readFileSync(join(h.dataDir, 'home', 'tf-test', 'tries'), 'utf8')).to.equal('try\ntry\ntry\n')
  })

  it('injects the tool envvars and the platform variables', async () => {
    await h.client.call('POST', '/envvars/v1/tool/tf-test/envvars', {name: 'TEST_ENVVAR_1', value: 'test-envvar-1-contents'})
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'test1', cmd: 'env', imagename: 'python3.11'})
    await waitFor(async () => (await job(h, 'test1')).status_short === 'Completed' || undefined)
    const out = readFileSync(join(h.dataDir, 'home', 'tf-test', 'test1.out'), 'utf8')
    expect(out).to.include('TEST_ENVVAR_1=test-envvar-1-contents\n')
    expect(out).to.include(`TOOL_TOOLFORGE_API_URL=${h.url}\n`)
    await h.client.call('DELETE', '/envvars/v1/tool/tf-test/envvars/TEST_ENVVAR_1')
  })

  it('fires scheduled jobs from the (injected) clock and reports the schedule', async () => {
    clock = Date.parse('2030-01-01T00:00:30Z')
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'tick', cmd: 'echo tick', imagename: 'bookworm', schedule: '* * * * *', filelog: false})
    expect((await job(h, 'tick')).status_short).to.equal('Waiting for scheduled time')
    clock = Date.parse('2030-01-01T00:01:05Z')
    await waitFor(async () => {
      const res = await h.client.call('GET', `${JOBS}/jobs/tick/logs`)
      return (res.status === 200 && res.text.includes('"tick"')) || undefined
    })
    const show = await job(h, 'tick')
    expect(show.status.previous_schedule).to.equal('2030-01-01T00:01:00Z')
    expect(show.status.next_schedule).to.equal('2030-01-01T00:02:00Z')
    await waitFor(async () => (await job(h, 'tick')).status_short === 'Last schedule time: 2030-01-01T00:01:00Z' || undefined)
    const logs = (await h.client.call('GET', `${JOBS}/jobs/tick/logs`)).text
    expect(JSON.parse(logs.split('\n')[0]).pod).to.match(/^tick-31557601-[a-z0-9]{5}$/)
    // A manual run (restart) does not wait for the schedule.
    expect((await h.client.call('POST', `${JOBS}/jobs/tick/restart`)).status).to.equal(200)
    await waitFor(async () => (await h.client.call('GET', `${JOBS}/jobs/tick/logs`)).text.trim().split('\n').length === 2 || undefined)
  })

  it('kills scheduled runs that exceed their timeout', async () => {
    clock = Date.parse('2030-01-01T00:10:30Z')
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'slow', cmd: 'sleep 60', imagename: 'bookworm', schedule: '*/5 * * * *', timeout: 1})
    clock = Date.parse('2030-01-01T00:15:01Z')
    await waitFor(async () => (await job(h, 'slow')).status_short === 'Failed' || undefined)
    expect((await job(h, 'slow')).status_long).to.include("Reason 'DeadlineExceeded'")
  })

  it('restarts a crashing continuous job with back-off', async () => {
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'crasher', cmd: 'echo boom; exit 1', imagename: 'bookworm', continuous: true, filelog: false})
    await waitFor(async () => (await job(h, 'crasher')).status_short === 'Specified command fails to run' || undefined)
    await waitFor(async () => ((await job(h, 'crasher')).status_long as string).match(/restarted [2-9] times/) || undefined)
    const show = await job(h, 'crasher')
    expect(show.status.short).to.equal('failed')
    expect(show.status.messages.some((m: string) => m.startsWith('restarted ('))).to.equal(true)
  })

  it('shows a failing health check in the status', async () => {
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'unhealthy', cmd: 'sleep 60', imagename: 'bookworm', continuous: true,
      health_check: {type: 'script', script: 'echo not ready; exit 1'}})
    await waitFor(async () => ((await job(h, 'unhealthy')).status_long as string).includes('Startup probe failed') || undefined)
    const show = await job(h, 'unhealthy')
    expect(show.status_short).to.equal('Not running')
    expect(show.status_long).to.include("Additional message:'Startup probe failed: not ready'")
    expect(show.status.messages).to.include('Startup probe failed: not ready')
  })

  it('serves a published job on a local URL and probes it over HTTP', async () => {
    const home = join(h.dataDir, 'home', 'tf-test')
    mkdirSync(join(home, 'public_html'), {recursive: true})
    writeFileSync(join(home, 'public_html', 'status'), 'OK')
    await h.client.call('POST', `${JOBS}/deprecated_webservice_job`, {name: 'webservice', imagename: 'php7.4', job_type: 'webservice',
      health_check: {type: 'http', path: '/status'}})
    const show = await waitFor(async () => {
      const j = await job(h, 'webservice')
      return j.status_short === 'Running' ? j : undefined
    })
    expect(show.publish_url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(show.status_long).to.include(`Published at ${show.publish_url}.`)
    const body = await new Promise<string>((resolve, reject) => {
      httpGet(`${show.publish_url}/status`, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve(text))
      }).on('error', reject)
    })
    expect(body).to.equal('OK')
  })

  it('streams new lines with follow=true', async () => {
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'talker', cmd: 'i=0; while true; do i=$((i+1)); echo line $i; sleep 0.1; done', imagename: 'bookworm', continuous: true, filelog: false})
    const paths = certPaths(h.dataDir)
    const seen = await new Promise<string[]>((resolve, reject) => {
      const req = request({host: '127.0.0.1', port: h.port, path: `${JOBS}/jobs/talker/logs?follow=true&lines=1`, ca: readFileSync(paths.caCert),
        cert: readFileSync(paths.clientCert), key: readFileSync(paths.clientKey)}, (res) => {
        let buffer = ''
        res.on('data', (c: Buffer) => {
          buffer += c.toString()
          const lines = buffer.split('\n').filter(Boolean)
          if (lines.length >= 4) {
            req.destroy()
            resolve(lines.map((l) => JSON.parse(l).message))
          }
        })
      })
      req.on('error', reject)
      req.end()
    })
    expect(seen[0]).to.match(/^line \d+$/)
    const numbers = seen.map((m) => Number(m.split(' ')[1]))
    expect(numbers).to.deep.equal([...numbers].sort((a, b) => a - b))
  })

  it('ends a followed log when its one-off job finishes, and at once for one already finished', async () => {
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'brief', cmd: 'echo one; sleep 0.5; echo two', imagename: 'bookworm', filelog: false})
    const paths = certPaths(h.dataDir)
    const follow = () =>
      new Promise<string[]>((resolve, reject) => {
        const req = request({host: '127.0.0.1', port: h.port, path: `${JOBS}/jobs/brief/logs?follow=true`, ca: readFileSync(paths.caCert),
          cert: readFileSync(paths.clientCert), key: readFileSync(paths.clientKey)}, (res) => {
          let text = ''
          res.on('data', (c: Buffer) => (text += c.toString()))
          res.on('end', () => resolve(text.split('\n').filter(Boolean).map((l) => JSON.parse(l).message)))
        })
        req.on('error', reject)
        req.end()
      })
    expect(await follow()).to.deep.equal(['one', 'two'])
    expect(await follow()).to.deep.equal(['one', 'two'])
  })

  it('kills whole process trees on delete', async () => {
    const pidFile = join(h.dataDir, 'home', 'tf-test', 'child.pid')
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'tree', cmd: 'sleep 300 & echo $! > child.pid; wait', imagename: 'bookworm', continuous: true})
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '' || undefined)
    const child = Number(readFileSync(pidFile, 'utf8'))
    expect(processAlive(child)).to.equal(true)
    await h.client.call('DELETE', `${JOBS}/jobs/tree`)
    await waitFor(() => !processAlive(child) || undefined, 3000, 'the background child to die')
  })
})
