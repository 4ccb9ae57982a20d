import {expect} from 'chai'

import {allowLoopback, cleanup, type Harness, JOBS, startHarness, waitFor} from './helpers.js'

const oneOff = (name: string, cmd = 'true', extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ({name, cmd, imagename: 'python3.11', ...extra})

describe('sandbox server: jobs API semantics', () => {
  let h: Harness
  before(async () => {
    allowLoopback()
    h = await startHarness()
  })
  beforeEach(allowLoopback)
  afterEach(async () => {
    await h.client.call('DELETE', `${JOBS}/jobs`)
  })
  after(async () => {
    await h.close()
    cleanup(h.dataDir)
  })

  it('creates with 201 and returns the resolved job', async () => {
    const res = await h.client.call('POST', `${JOBS}/jobs/`, oneOff('myjob', 'sleep 5'))
    expect(res.status).to.equal(201)
    expect(res.body.messages).to.deep.equal({info: [], warning: [], error: []})
    expect(res.body.job).to.include({name: 'myjob', job_type: 'one-off', memory: '0.5Gi', cpu: '0.1', filelog: true, mount: 'all', image_state: 'stable'})
    expect(res.body.job.filelog_stdout).to.equal('/data/project/tf-test/myjob.out')
    expect(res.body.job.status).to.include.keys('short', 'duration', 'up_to_date')
  })

  it('refuses a duplicate name with 409 unless the one-off job completed', async () => {
    await h.client.call('POST', `${JOBS}/jobs/`, oneOff('dup', 'sleep 5'))
    const again = await h.client.call('POST', `${JOBS}/jobs/`, oneOff('dup', 'sleep 5'))
    expect(again.status).to.equal(409)
    expect(again.body).to.deep.equal({error: ['A job with the name dup already exists']})

    await h.client.call('POST', `${JOBS}/jobs/`, oneOff('done', 'true'))
    await waitFor(async () => (await h.client.call('GET', `${JOBS}/jobs/done`)).body.job.status_short === 'Completed' || undefined)
    expect((await h.client.call('POST', `${JOBS}/jobs/`, oneOff('done', 'true'))).status).to.equal(201)
  })

  it('shows, lists, and honours include_unset', async () => {
    await h.client.call('POST', `${JOBS}/jobs`, {name: 'cron', cmd: './daily.sh', imagename: 'python3.11', schedule: '@daily', timeout: 3600})
    const full = (await h.client.call('GET', `${JOBS}/jobs/cron`)).body.job
    expect(full).to.include({job_type: 'scheduled', schedule: '@daily', timeout: 3600, retry: 0, status_short: 'Waiting for scheduled time'})
    expect(full.schedule_actual).to.match(/^\d+ \d+ \* \* \*$/)
    expect(full.status).to.have.property('next_schedule')
    const bare = (await h.client.call('GET', `${JOBS}/jobs/cron?include_unset=false`)).body.job
    expect(bare).to.deep.equal({name: 'cron', cmd: './daily.sh', imagename: 'python3.11', schedule: '@daily', timeout: 3600, job_type: 'scheduled'})
    const list = (await h.client.call('GET', `${JOBS}/jobs/?include_unset=False`)).body
    expect(list.jobs).to.have.length(1)
    expect(list.messages).to.deep.equal({info: [], warning: [], error: []})
  })

  it('answers 404 for unknown jobs on show, delete, restart and logs', async () => {
    for (const [method, path] of [['GET', 'nope'], ['DELETE', 'nope'], ['POST', 'nope/restart'], ['GET', 'nope/logs']]) {
      const res = await h.client.call(method, `${JOBS}/jobs/${path}`)
      expect(res.status, `${method} ${path}`).to.equal(404)
      expect(res.body).to.deep.equal({error: ["Job 'nope' does not exist"]})
    }
  })

  it('deletes and flushes', async () => {
    await h.client.call('POST', `${JOBS}/jobs`, oneOff('a', 'sleep 30'))
    await h.client.call('POST', `${JOBS}/jobs`, {...oneOff('b', 'sleep 30'), continuous: true})
    const del = await h.client.call('DELETE', `${JOBS}/jobs/a`)
    expect(del.status).to.equal(200)
    expect(del.body).to.deep.equal({messages: {info: [], warning: [], error: []}})
    expect((await h.client.call('GET', `${JOBS}/jobs/a`)).status).to.equal(404)
    expect((await h.client.call('DELETE', `${JOBS}/jobs/`)).status).to.equal(200)
    expect((await h.client.call('GET', `${JOBS}/jobs`)).body.jobs).to.deep.equal([])
  })

  it('restarts continuous jobs, refuses one-off ones', async () => {
    await h.client.call('POST', `${JOBS}/jobs`, oneOff('once', 'sleep 30'))
    const res = await h.client.call('POST', `${JOBS}/jobs/once/restart`)
    expect(res.status).to.equal(400)
    expect(res.body).to.deep.equal({error: ['Unable to restart a one-off job']})
    await h.client.call('POST', `${JOBS}/jobs`, {...oneOff('bot', 'sleep 30', {filelog: false}), continuous: true})
    expect((await h.client.call('POST', `${JOBS}/jobs/bot/restart/`)).status).to.equal(200)
    await waitFor(async () => (await h.client.call('GET', `${JOBS}/jobs/bot`)).body.job.status_short === 'Running' || undefined)
  })

  it('updates with PATCH and reports what happened', async () => {
    const body = {name: 'loader', cmd: 'sleep 30', imagename: 'python3.11', continuous: true}
    let res = await h.client.call('PATCH', `${JOBS}/jobs/`, body)
    expect(res.body).to.deep.equal({messages: {info: ['Job loader created in storage and runtime'], warning: [], error: []}, job_changed: true})
    res = await h.client.call('PATCH', `${JOBS}/jobs/`, body)
    expect(res.body).to.deep.include({job_changed: false})
    expect(res.body.messages.info).to.deep.equal(['Job loader is already up to date'])
    res = await h.client.call('PATCH', `${JOBS}/jobs/`, {...body, cmd: 'sleep 40'})
    expect(res.body.messages.info).to.deep.equal(['Job loader was updated in storage and runtime'])
    expect((await h.client.call('GET', `${JOBS}/jobs/loader`)).body.job.cmd).to.equal('sleep 40')
    res = await h.client.call('PATCH', `${JOBS}/jobs/`, oneOff('single'))
    expect(res.body).to.deep.equal({messages: {info: ["OneOffJobs can't be updated, delete and recreate it instead"], warning: [], error: []}, job_changed: false})
  })

  it('rejects invalid bodies with pydantic-like 400 messages', async () => {
    let res = await h.client.call('POST', `${JOBS}/jobs/`, oneOff('Bad_Name'))
    expect(res.status).to.equal(400)
    expect(res.body.error[0]).to.equal("1 validation error for NewOneOffJob\nname\n  String should match pattern '^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' [type=string_pattern_mismatch, input_value='Bad_Name', input_type=str]")
    res = await h.client.call('POST', `${JOBS}/jobs/`, oneOff('a'.repeat(53)))
    expect(res.body.error[0]).to.include('String should have at most 52 characters [type=string_too_long')
    res = await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('x'), colour: 'blue'})
    expect(res.body.error[0]).to.equal("1 validation error for NewOneOffJob\ncolour\n  Extra inputs are not permitted [type=extra_forbidden, input_value='blue', input_type=str]")
    res = await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('x'), job_type: 'one-off', schedule: '* * * * *'})
    expect(res.body.error[0]).to.match(/^1 validation error for NewOneOffJob\nschedule\n {2}Extra inputs are not permitted/)
    res = await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('x'), job_type: 'scheduled'})
    expect(res.body.error[0]).to.match(/^1 validation error for NewScheduledJob\nschedule\n {2}Field required \[type=missing/)
    res = await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('x'), continuous: true, retry: 2})
    expect(res.body.error[0]).to.include('retry\n  Extra inputs are not permitted')
    res = await h.client.call('POST', `${JOBS}/jobs/`, {name: 'x', retry: 9})
    expect(res.body.error[0]).to.match(/^3 validation errors for NewOneOffJob\nimagename\n {2}Field required/)
    expect(res.body.error[0]).to.include('retry\n  Input should be less than or equal to 5 [type=less_than_equal, input_value=9, input_type=int]')
    res = await h.client.call('POST', `${JOBS}/jobs/`, '{not json')
    expect(res.status).to.equal(422)
    expect(res.body.detail[0].type).to.equal('json_invalid')
  })

  it('accepts the CLI payload shapes (port as a string)', async () => {
    const res = await h.client.call('POST', `${JOBS}/jobs/`, {name: 'web', cmd: 'sleep 30', imagename: 'python3.11', continuous: true, port: '8080', filelog: false})
    expect(res.status).to.equal(201)
    expect(res.body.job).to.include({port: 8080, port_protocol: 'tcp', replicas: 1, continuous: true})
  })

  it('applies the server-side checks: image, schedule, LimitRange, quota', async () => {
    let res = await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('x'), imagename: 'python2.7'})
    expect(res.body).to.deep.equal({error: ["No such image 'python2.7'"]})
    res = await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('x'), schedule: '* * *'})
    expect(res.body).to.deep.equal({error: ['Unable to parse cron expression "* * *" (Unable to parse cron expression "* * *": Expected to find 5 space-separated values, found 3)']})
    res = await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('x'), cpu: '3'})
    expect(res.body).to.deep.equal({error: ['Requested CPU 3.0 is over maximum allowed per container (1)']})
    res = await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('x'), memory: '50Mi'})
    expect(res.body.error[0]).to.match(/^Requested memory .* is less than minimum required per container \(100Mi\)$/)
    for (const n of [1, 2, 3]) {
      expect((await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff(`c${n}`, 'sleep 30'), continuous: true})).status).to.equal(201)
    }
    res = await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('c4', 'sleep 30'), continuous: true})
    expect(res.status).to.equal(400)
    expect(res.body).to.deep.equal({error: ['Out of quota for this kind of job. Please see https://w.wiki/6YLP for details.']})
  })

  it('reports quota usage in the upstream categories', async () => {
    await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('q1', 'sleep 30'), continuous: true, memory: '1Gi', cpu: '500m'})
    await h.client.call('POST', `${JOBS}/jobs/`, {name: 'q2', cmd: 'true', imagename: 'bookworm', schedule: '@hourly'})
    await waitFor(async () => (await h.client.call('GET', `${JOBS}/jobs/q1`)).body.job.status_short === 'Running' || undefined)
    const {quota} = (await h.client.call('GET', `${JOBS}/quotas/`)).body
    const byName = Object.fromEntries(quota.categories.map((c: {name: string; items: unknown[]}) => [c.name, c.items]))
    expect(byName['Running jobs']).to.deep.equal([
      {name: 'Total running jobs at once (Kubernetes pods)', limit: '10', used: '1'},
      {name: 'Running one-off and cron jobs', limit: '15', used: '0'},
      {name: 'CPU', limit: '4.0', used: '0.5'},
      {name: 'Memory', limit: '8.0Gi', used: '1.0Gi'},
    ])
    expect(byName['Per-job limits']).to.deep.equal([{name: 'CPU', limit: '1.0', used: null}, {name: 'Memory', limit: '4.0Gi', used: null}])
    expect(byName['Job definitions']).to.deep.equal([
      {name: 'Cron jobs', limit: '50', used: '1'},
      {name: 'Continuous jobs (including web services)', limit: '3', used: '1'},
    ])
  })

  it('validates logs parameters', async () => {
    await h.client.call('POST', `${JOBS}/jobs/`, oneOff('lg', 'echo x', {filelog: false}))
    expect((await h.client.call('GET', `${JOBS}/jobs/lg/logs?lines=abc`)).body).to.deep.equal({error: ['Unable to parse lines as integer']})
    expect((await h.client.call('GET', `${JOBS}/jobs/lg/logs?lines=5001`)).body).to.deep.equal({error: ['Requested number of 5001 lines is over limit of 5000']})
    await h.client.call('POST', `${JOBS}/jobs/`, oneOff('fl', 'echo x'))
    expect((await h.client.call('GET', `${JOBS}/jobs/fl/logs`)).body).to.deep.equal({error: ["Job 'fl' has file logging enabled, which is incompatible with the logs command"]})
  })

  it('creates webservice jobs through the deprecated endpoint', async () => {
    const res = await h.client.call('POST', `${JOBS}/deprecated_webservice_job/`, {name: 'webservice', imagename: 'python3.11', job_type: 'webservice'})
    expect(res.status).to.equal(200)
    expect(res.body.messages.warning[0]).to.match(/^This endpoint is deprecated/)
    expect(res.body.job).to.include({job_type: 'webservice', port: 8000, publish: '/'})
    const again = await h.client.call('POST', `${JOBS}/jobs/`, {...oneOff('other', 'sleep 30'), continuous: true, port: 8081, publish: '/'})
    expect(again.body.error[0]).to.match(/^Attempt to create job failed\. The job cannot be published because the domain 'tf-test\.toolforge\.org' and path '\/' are already in use/)
  })
})
