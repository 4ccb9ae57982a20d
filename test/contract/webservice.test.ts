import {expect} from 'chai'

import type {PrismScript} from '../helpers/prism.js'
import type {RecordedRequest} from '../helpers/subprocess.js'
import {bodies, calls, type Contract, openContract, query, replay} from './replay.js'

// `toolforge webservice` on its default jobs-api backend, and `jobs run --publish`, against the two
// jobs API revisions that know `publish`: 4.12.1 (jobs-api-publish.yaml) and 4.13.0
// (jobs-api-webservice.yaml, which adds the deprecated webservice-job endpoint the backend falls back to).
// Prism's example job reads as running ("Running."), so flows that need "no webservice" first or
// afterwards get a 404 from Prism itself through `Prefer: code=404`.

const JOBS = '/v1/tool/mytool/jobs'
const WEBSERVICE = `${JOBS}/webservice`
const LEGACY = '/v1/tool/mytool/deprecated_webservice_job'
const isShow = (r: RecordedRequest) => r.method === 'GET' && r.url.split('?')[0] === WEBSERVICE

/** The webservice does not exist at the first status check, then runs once created. */
function notYetStarted(): PrismScript {
  let checked = false
  return {
    prefer(r) {
      if (!isShow(r) || checked) return undefined
      checked = true
      return 'code=404'
    },
  }
}

/** The webservice is gone once it has been deleted. */
function goneAfterDelete(): PrismScript {
  let deleted = false
  return {
    prefer(r) {
      if (r.method === 'DELETE') deleted = true
      return deleted && isShow(r) ? 'code=404' : undefined
    },
  }
}

function webserviceCases(spec: string, extra?: (contract: () => Contract) => void): void {
  describe(`contract: webservice (jobs-api backend) against ${spec} (Prism)`, function () {
    this.timeout(60_000)
    let c: Contract

    before(async () => {
      c = await openContract(spec)
    })
    after(async () => c?.close())

    it('python3.11 start creates the published continuous job `webservice`', async () => {
      const {result, exchanges} = await replay(c, ['webservice', 'python3.11', 'start'], {script: notYetStarted()})
      expect(calls(exchanges)).to.deep.equal([`GET ${WEBSERVICE}`, `POST ${JOBS}`, `GET ${WEBSERVICE}`])
      expect(exchanges[0].status).to.equal(404)
      expect(bodies(exchanges, 'POST', '/jobs')[0]).to.deep.include({
        name: 'webservice',
        job_type: 'continuous',
        imagename: 'python3.11',
        port: 8000,
        port_protocol: 'tcp',
        publish: '/',
      })
      expect(result.stdout).to.contain('Your webservice is available at https://mytool.toolforge.org')
    })

    it('status', async () => {
      const {result, exchanges} = await replay(c, ['webservice', 'status'])
      expect(calls(exchanges)).to.deep.equal([`GET ${WEBSERVICE}`])
      expect(result.stdout).to.match(/Your webservice of type \S+ is running on backend jobs-api/)
    })

    it('python3.11 restart applies the options with an update', async () => {
      const {exchanges} = await replay(c, ['webservice', 'python3.11', 'restart', '--mem', '1Gi', '--cpu', '500m', '--replicas', '2'])
      expect(calls(exchanges)).to.deep.equal([`GET ${WEBSERVICE}`, `PATCH ${JOBS}`, `GET ${WEBSERVICE}`])
      expect(bodies(exchanges, 'PATCH', '/jobs')[0]).to.include({name: 'webservice', job_type: 'continuous', memory: '1Gi', cpu: '500m', replicas: 2, publish: '/'})
    })

    it('python3.11 restart without changes asks for a plain restart', async () => {
      const script: PrismScript = {respond: (r) => (r.method === 'PATCH' ? {status: 200, body: {job_changed: false, messages: {}}} : undefined)}
      const {exchanges} = await replay(c, ['webservice', 'python3.11', 'restart'], {script})
      expect(calls(exchanges)).to.deep.equal([`GET ${WEBSERVICE}`, `PATCH ${JOBS}`, `POST ${WEBSERVICE}/restart`, `GET ${WEBSERVICE}`])
    })

    it('stop deletes the job and waits until it is gone', async () => {
      const {result, exchanges} = await replay(c, ['webservice', 'stop'], {script: goneAfterDelete()})
      expect(calls(exchanges)).to.deep.equal([`GET ${WEBSERVICE}`, `DELETE ${WEBSERVICE}`, `GET ${WEBSERVICE}`])
      expect(result.stderr).not.to.contain('still shutting down')
    })

    extra?.(() => c)
  })
}

webserviceCases('jobs-api-publish.yaml', (contract) => {
  it('jobs run --publish sends publish for a continuous job with a tcp port', async () => {
    const args = ['jobs', 'run', 'web', '--command', 'web', '--image', 'tool-mytool/tool-mytool:latest', '--continuous', '--port', '8000', '--publish']
    const {exchanges} = await replay(contract(), args)
    expect(bodies(exchanges, 'POST', '/jobs')[0]).to.include({job_type: 'continuous', port: 8000, publish: '/'})
  })

  it('webservice logs reads the job log stream', async () => {
    const line = {datetime: '2026-07-01T10:00:00Z', pod: 'webservice-5b7c', container: 'job', message: 'GET / 200'}
    const script: PrismScript = {respond: () => ({status: 200, contentType: 'text/plain', body: `${JSON.stringify(line)}\n`})}
    const {result, exchanges} = await replay(contract(), ['webservice', 'logs'], {script})
    expect(calls(exchanges)).to.deep.equal([`GET ${WEBSERVICE}/logs`])
    expect(query(exchanges[0])).to.deep.equal({follow: 'false'})
    expect(result.stdout).to.contain('[webservice-5b7c] GET / 200')
  })
})

webserviceCases('jobs-api-webservice.yaml', (contract) => {
  it('python3.11 start falls back to deprecated_webservice_job when the API refuses the published job', async () => {
    // Prism validates the published-job POST first; the scripted 405 then stands for an API whose
    // router has no such operation, which is what sends the backend to the deprecated endpoint.
    const started = notYetStarted()
    const script: PrismScript = {
      prefer: started.prefer,
      respond: (r) => (r.method === 'POST' && r.url === JOBS ? {status: 405, body: {detail: 'Method Not Allowed'}} : undefined),
    }
    const {exchanges} = await replay(contract(), ['webservice', 'python3.11', 'start'], {script})
    expect(calls(exchanges)).to.deep.equal([`GET ${WEBSERVICE}`, `POST ${JOBS}`, `POST ${LEGACY}`, `GET ${WEBSERVICE}`])
    expect(bodies(exchanges, 'POST', LEGACY)[0]).to.deep.include({name: 'webservice', job_type: 'webservice', imagename: 'python3.11', cmd: '', port: 8000})
  })
})
