import {expect} from 'chai'

import {UserError} from '../../src/api/errors.js'
import {buildWebserviceObjects, webserviceSpec} from '../../src/kube/webservice.js'
import {resultFromStatus} from '../../src/webservice/attach.js'
import {upstreamTime} from '../../src/webservice/backend.js'
import {publishUnsupported} from '../../src/webservice/jobs-backend.js'
import {enforcePolicy} from '../../src/webservice/kube-backend.js'
import {Manifest} from '../../src/webservice/manifest.js'
import {type Resolved, resolve} from '../../src/webservice/resolve.js'
import {continuousJobBody, legacyWebserviceJobBody, shellQuote} from '../../src/webservice/spec.js'
import {requestBodyValidator} from '../helpers/openapi-schema.js'

type Json = Record<string, any>

const CONFIG = {publicDomain: 'toolforge.org', buildserviceRepository: 'tools-harbor.wmcloud.org', routing: 'gateway' as const}

function resolved(cli: Parameters<typeof resolve>[0]['cli'] = {}): Resolved {
  return resolve({action: 'start', tool: 'mytool', cli: {backend: 'jobs-api', ...cli}, manifest: new Manifest('/nonexistent/service.manifest', {}), config: CONFIG, prog: 'webservice', argv: []})
}

describe('webservice backends: pieces', () => {
  it('refuses objects that break the pod policy, listing every violation', () => {
    const objects = buildWebserviceObjects(webserviceSpec('php7.4', 'mytool')!, {uid: 50001})
    const deployment = objects[0] as Json
    deployment.spec.template.spec.containers[0].securityContext.privileged = true
    deployment.spec.template.spec.hostNetwork = true
    let error: UserError | undefined
    try {
      enforcePolicy(objects, 'mytool', 50001)
    } catch (error_) {
      error = error_ as UserError
    }
    expect(error).to.be.instanceOf(UserError)
    expect(error?.message).to.equal('The webservice objects do not comply with the Toolforge pod policy; nothing was sent:')
    expect(error?.details?.split('\n')).to.have.length.of.at.least(2)
    expect(error?.details).to.contain('Deployment mytool: validation error:')
    expect(() => enforcePolicy(buildWebserviceObjects(webserviceSpec('php7.4', 'mytool')!, {uid: 50001}), 'mytool', 50001)).not.to.throw()
  })

  it('falls back to the legacy endpoint only for 404/405 or a rejected `publish`', () => {
    expect(publishUnsupported(new UserError('Not Found', {status: 404}))).to.equal(true)
    expect(publishUnsupported(new UserError('Method Not Allowed', {status: 405}))).to.equal(true)
    expect(publishUnsupported(new UserError('body.publish: Extra inputs are not permitted', {status: 422}))).to.equal(true)
    expect(publishUnsupported(new UserError('1 validation error for NewContinuousJob\npublish\n  extra fields not permitted', {status: 400}))).to.equal(true)
    expect(publishUnsupported(new UserError('publish requires port to be set', {status: 400}))).to.equal(false)
    expect(publishUnsupported(new UserError('Out of quota for this kind of job.', {status: 400}))).to.equal(false)
    expect(publishUnsupported(new UserError('A job with the name webservice already exists', {status: 409}))).to.equal(false)
  })

  it('formats times like upstream isoformat without microseconds', () => {
    expect(upstreamTime('2023-05-10T12:00:01.123456789Z')).to.equal('2023-05-10T12:00:01+00:00')
    expect(upstreamTime('2023-05-10T12:00:01+0200')).to.equal('2023-05-10T12:00:01+02:00')
    expect(upstreamTime('not a time')).to.equal('not a time')
  })

  it('reads exit codes from the attach error channel', () => {
    expect(resultFromStatus({status: 'Success'})).to.deep.equal({exitCode: 0})
    expect(resultFromStatus({status: 'Failure', reason: 'NonZeroExitCode', details: {causes: [{reason: 'ExitCode', message: '42'}]}})).to.deep.equal({exitCode: 42})
    expect(resultFromStatus({status: 'Failure', message: 'container not found'})).to.deep.equal({message: 'container not found'})
  })

  it('quotes like shlex.quote', () => {
    expect(['a', '--x=1', '', "it's", 'a b', '$HOME'].map((w) => shellQuote(w))).to.deep.equal(['a', '--x=1', "''", `'it'"'"'s'`, "'a b'", "'$HOME'"])
  })
})

// A schema check of the request bodies against the jobs API specs (the Prism contract harness covers
// the requests on the wire).
describe('webservice jobs API bodies match the OpenAPI specs', () => {
  const bodies = () => [
    resolved(),
    resolved({type: 'buildservice', mem: '1.5Gi', cpu: '0.5', replicas: 3, mount: 'none', healthCheckPath: '/healthz'}),
    resolved({type: 'jdk17', extraArgs: ['java', '-jar', 'app.jar']}),
  ]

  for (const spec of ['jobs-api-publish.yaml', 'jobs-api-webservice.yaml']) {
    it(`POST …/jobs (continuous + publish) validates against ${spec}`, async () => {
      const check = await requestBodyValidator(spec, '/v1/tool/{tool_name}/jobs', 'post')
      for (const r of bodies()) expect(check(continuousJobBody(r))).to.equal(undefined)
      expect(check({...continuousJobBody(resolved()), replicas: 0})).not.to.equal(undefined)
    })
  }

  it('POST …/deprecated_webservice_job validates against jobs-api-webservice.yaml', async () => {
    const check = await requestBodyValidator('jobs-api-webservice.yaml', '/v1/tool/{toolname}/deprecated_webservice_job', 'post')
    for (const r of bodies()) expect(check(legacyWebserviceJobBody(r))).to.equal(undefined)
    expect(check({...legacyWebserviceJobBody(resolved()), job_type: 'continuous'})).not.to.equal(undefined)
  })
})
