import {expect} from 'chai'

import {createCA, createClientCert} from '../../src/sandbox/certs.js'
import {allowLoopback, cleanup, clientFor, type Harness, JOBS, startHarness} from './helpers.js'

describe('sandbox server: gateway behaviour', () => {
  let h: Harness
  before(async () => {
    allowLoopback()
    h = await startHarness()
  })
  beforeEach(allowLoopback)
  after(async () => {
    await h.close()
    cleanup(h.dataDir)
  })

  it('answers health checks without a certificate', async () => {
    const anon = clientFor(h.port)
    const jobs = await anon.call('GET', '/jobs/v1/healthz')
    expect(jobs.status).to.equal(200)
    expect(jobs.body).to.deep.equal({health: {status: 'OK', message: 'OK'}, messages: {}})
    expect((await anon.call('GET', '/envvars/v1/healthz/')).body).to.deep.equal({status: 'OK', messages: {}})
    expect((await anon.call('GET', '/jobs/v1/metrics')).text).to.match(/sandbox_jobs \d+/)
  })

  it('refuses requests without a client certificate with 401', async () => {
    const res = await clientFor(h.port).call('GET', `${JOBS}/jobs/`)
    expect(res.status).to.equal(401)
    expect(res.body.error).to.be.an('array').with.length(1)
  })

  it('refuses a certificate from another CA with 401', async () => {
    const foreign = createClientCert(createCA('someone-else'), 'tf-test')
    const res = await clientFor(h.port, foreign).call('GET', `${JOBS}/jobs/`)
    expect(res.status).to.equal(401)
    expect(res.body.error[0]).to.include('not trusted')
  })

  it("refuses another tool's path with 403", async () => {
    const res = await h.client.call('GET', '/jobs/v1/tool/tf-test.notthistool/jobs/')
    expect(res.status).to.equal(403)
    expect(res.body.error).to.be.an('array').with.length(1)
    expect((await h.client.call('GET', '/envvars/v1/tool/other/envvars')).status).to.equal(403)
  })

  it('accepts paths with and without a trailing slash', async () => {
    for (const path of [`${JOBS}/jobs`, `${JOBS}/jobs/`, `${JOBS}/images`, `${JOBS}/images/`, `${JOBS}/quotas/`]) {
      expect((await h.client.call('GET', path)).status, path).to.equal(200)
    }
  })

  it('answers builds with 501', async () => {
    const res = await h.client.call('GET', '/builds/v1/tool/tf-test/builds')
    expect(res.status).to.equal(501)
    expect(res.body).to.deep.equal({error: ['builds are not available in the sandbox']})
  })

  it('lists stable images only', async () => {
    const res = await h.client.call('GET', `${JOBS}/images/`)
    expect(res.body.images).to.deep.include({shortname: 'python3.11', image: 'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest'})
    expect(res.body.images.map((i: {shortname: string}) => i.shortname)).not.to.include('bullseye')
  })

  it('reports unknown routes and methods as errors', async () => {
    expect((await h.client.call('GET', `${JOBS}/nothing`)).status).to.equal(404)
    expect((await h.client.call('PATCH', `${JOBS}/images`)).status).to.equal(405)
  })
})
