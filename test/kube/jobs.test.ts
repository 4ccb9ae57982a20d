import {expect} from 'chai'

import type {NewJob} from '../../src/api/jobs-types.js'
import {expandSchedule} from '../../src/kube/cron.js'
import {buildJobObjects, JobValidationError, normalizeJob, publicDomainFor} from '../../src/kube/jobs.js'
import type {CronJobObject, DeploymentObject, HTTPRouteObject, JobObject} from '../../src/kube/types.js'

const ctx = {tool: 'mytool', uid: 52503}

function job(overrides: Partial<NewJob>): NewJob {
  return {name: 'myjob', cmd: './run.sh', imagename: 'python3.11', job_type: 'one-off', ...overrides}
}

function container(obj: JobObject | DeploymentObject) {
  return obj.spec.template.spec!.containers[0]
}

describe('kube/jobs rules', () => {
  it('puts the same full label set on the object and its pod template', () => {
    const [j] = buildJobObjects(job({emails: 'all'}), ctx) as [JobObject]
    expect(j.metadata.labels).to.deep.equal({
      toolforge: 'tool',
      'app.kubernetes.io/managed-by': 'toolforge-jobs-framework',
      'app.kubernetes.io/created-by': 'mytool',
      'app.kubernetes.io/version': '2',
      'app.kubernetes.io/component': 'jobs',
      'app.kubernetes.io/name': 'myjob',
      'jobs.toolforge.org/filelog': 'yes',
      'jobs.toolforge.org/emails': 'all',
      'toolforge.org/mount-storage': 'all',
    })
    expect(j.spec.template.metadata!.labels).to.deep.equal(j.metadata.labels)
  })

  it('uses the reduced selector for Deployments and topology spread', () => {
    const [d] = buildJobObjects(job({job_type: 'continuous'}), ctx) as [DeploymentObject]
    const selector = {
      toolforge: 'tool',
      'app.kubernetes.io/managed-by': 'toolforge-jobs-framework',
      'app.kubernetes.io/created-by': 'mytool',
      'app.kubernetes.io/name': 'myjob',
    }
    expect(d.spec.selector.matchLabels).to.deep.equal(selector)
    expect(d.spec.template.spec!.topologySpreadConstraints![0].labelSelector!.matchLabels).to.deep.equal(selector)
    expect(d.metadata.labels!['app.kubernetes.io/component']).to.equal('deployments')
  })

  it('expands every macro and keeps the typed text in the annotation', () => {
    for (const macro of ['@hourly', '@daily', '@weekly', '@monthly', '@yearly']) {
      const [c] = buildJobObjects(job({name: 'mycronjob', job_type: 'scheduled', schedule: macro}), ctx) as [CronJobObject]
      expect(c.metadata.annotations).to.deep.equal({'jobs.toolforge.org/cron-expression': macro})
      expect(c.spec.schedule).to.equal(expandSchedule(macro, 'mytool', 'mycronjob'))
      expect(c.spec.jobTemplate.spec!).to.not.have.property('activeDeadlineSeconds')
    }
  })

  it('sets activeDeadlineSeconds only for a non-zero timeout', () => {
    const [c] = buildJobObjects(job({job_type: 'scheduled', schedule: '0 * * * *', timeout: 0}), ctx) as [CronJobObject]
    expect(c.spec.jobTemplate.spec).to.not.have.property('activeDeadlineSeconds')
    const [d] = buildJobObjects(job({job_type: 'scheduled', schedule: '0 * * * *', timeout: 90}), ctx) as [CronJobObject]
    expect(d.spec.jobTemplate.spec!.activeDeadlineSeconds).to.equal(90)
  })

  it('uses Recreate for one replica and RollingUpdate otherwise; 0 replicas fall back to one', () => {
    const strategy = (replicas?: number) => {
      const [d] = buildJobObjects(job({job_type: 'continuous', replicas}), ctx) as [DeploymentObject]
      return [d.spec.replicas, d.spec.strategy!.type]
    }
    expect(strategy(undefined)).to.deep.equal([1, 'Recreate'])
    expect(strategy(0)).to.deep.equal([1, 'Recreate'])
    expect(strategy(3)).to.deep.equal([3, 'RollingUpdate'])
  })

  it('derives resources as §2.4 says', () => {
    const resources = (memory?: string, cpu?: string) =>
      container((buildJobObjects(job({memory, cpu}), ctx) as [JobObject])[0]).resources
    expect(resources()).to.deep.equal({limits: {memory: '0.5Gi', cpu: '1000m'}, requests: {memory: '0.5Gi', cpu: '0.1'}})
    expect(resources('512Mi', '100m')).to.deep.equal({limits: {memory: '0.5Gi', cpu: '1000m'}, requests: {memory: '0.5Gi', cpu: '0.1'}})
    expect(resources('2Gi', '500m')).to.deep.equal({limits: {memory: '2.0Gi', cpu: '0.5'}, requests: {memory: '1073741824.0', cpu: '0.5'}})
    expect(resources('1G', '2')).to.deep.equal({limits: {memory: '0.931Gi', cpu: '2.0'}, requests: {memory: '499826819.072', cpu: '2.0'}})
    const [custom] = buildJobObjects(job({}), {...ctx, defaultCpuLimit: '4000m'}) as [JobObject]
    expect(container(custom).resources!.limits!.cpu).to.equal('4000m')
  })

  it('adds ports, PORT and probes only to continuous jobs that need them', () => {
    const objects = buildJobObjects(job({job_type: 'continuous', port: 8080, health_check: {type: 'http', path: '/h'}}), ctx)
    const c = container(objects[0] as DeploymentObject)
    expect(c.ports).to.deep.equal([{containerPort: 8080, protocol: 'TCP'}])
    expect(c.env).to.deep.equal([{name: 'PORT', value: '8080'}])
    expect(c.startupProbe).to.deep.equal({initialDelaySeconds: 0, periodSeconds: 1, failureThreshold: 120, timeoutSeconds: 5, httpGet: {path: '/h', port: 8080}})
    expect(c.livenessProbe).to.deep.equal({initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5, httpGet: {path: '/h', port: 8080}})
    expect(objects.map((o) => o.kind)).to.deep.equal(['Deployment', 'Service'])

    const udp = container(buildJobObjects(job({job_type: 'continuous', port: 53, port_protocol: 'udp'}), ctx)[0] as DeploymentObject)
    expect(udp).to.not.have.any.keys('startupProbe', 'livenessProbe')
  })

  it('publishes on the project domain', () => {
    expect(publicDomainFor()).to.equal('toolforge.org')
    expect(publicDomainFor('toolsbeta')).to.equal('beta.toolforge.org')
    expect(publicDomainFor('local')).to.equal('local')
    const objects = buildJobObjects(job({job_type: 'continuous', port: 80, publish: '/'}), {...ctx, publicDomain: 'example.org'})
    const route = objects[2] as HTTPRouteObject
    expect(route.spec.hostnames).to.deep.equal(['mytool.example.org'])
    expect(route.spec.rules![0].backendRefs).to.deep.equal([{name: 'myjob', port: 80}])
  })

  it('refuses what jobs-api refuses, with its messages', () => {
    const cases: Array<[Partial<NewJob>, string]> = [
      [{imagename: 'python9'}, "No such image 'python9'"],
      [{mount: 'none'}, 'Mount type none is only supported for build service images'],
      [{imagename: 'tool-mytool/x:latest', mount: 'none', filelog: true}, 'File logging is only available with --mount=all'],
      [{job_type: 'scheduled', schedule: '* * *'}, 'Unable to parse cron expression "* * *" (Unable to parse cron expression "* * *": Expected to find 5 space-separated values, found 3)'],
      [{job_type: 'continuous', publish: '/'}, 'publish requires port to be set'],
      [{job_type: 'continuous', publish: '/', port: 53, port_protocol: 'udp'}, 'publish requires port_protocol set to tcp'],
      [{job_type: 'continuous', health_check: {type: 'http', path: '/'}}, 'Port must be set for HTTP health checks'],
      [{memory: 'lots'}, 'Invalid number format: lots'],
      [{retry: 6}, 'retry must be an integer between 0 and 5, got 6'],
      [{job_type: 'continuous', port: 70000}, 'port must be an integer between 1 and 65535, got 70000'],
    ]
    for (const [overrides, message] of cases) {
      expect(() => buildJobObjects(job(overrides), ctx), message).to.throw(JobValidationError, message)
    }
  })
})

describe('kube/jobs normalizeJob', () => {
  it('returns the resolved job like include_unset=true', () => {
    expect(normalizeJob(job({cmd: './mycommand.sh --witharguments'}), ctx)).to.deep.equal({
      name: 'myjob',
      cmd: './mycommand.sh --witharguments',
      imagename: 'python3.11',
      image: 'python3.11',
      image_state: 'stable',
      job_type: 'one-off',
      filelog: true,
      filelog_stdout: '/data/project/mytool/myjob.out',
      filelog_stderr: '/data/project/mytool/myjob.err',
      emails: 'none',
      mount: 'all',
      memory: '0.5Gi',
      cpu: '0.1',
      retry: 0,
    })
  })

  it('resolves buildservice defaults and continuous fields', () => {
    const n = normalizeJob(job({imagename: 'tool-mytool/tool-mytool:latest', job_type: 'continuous', memory: '1Gi', cpu: '500m'}), ctx)
    expect(n).to.deep.include({
      image: 'tool-mytool/tool-mytool:latest',
      filelog: false,
      filelog_stdout: null,
      filelog_stderr: null,
      mount: 'none',
      memory: '1.0Gi',
      cpu: '0.5',
      continuous: true,
      replicas: 1,
      port: null,
      port_protocol: 'tcp',
      health_check: null,
      publish: '',
    })
    expect(n).to.not.have.property('retry')
  })

  it('mounts NFS when file logs are asked for on a buildservice image (T429907)', () => {
    expect(normalizeJob(job({imagename: 'tool-mytool/app:latest', filelog: true}), ctx)).to.deep.include({mount: 'all', filelog: true})
  })

  it('reports the configured and the actual schedule', () => {
    const n = normalizeJob(job({name: 'mycronjob', job_type: 'scheduled', schedule: '@weekly', timeout: 3600}), ctx)
    expect(n).to.deep.include({schedule: '@weekly', schedule_actual: expandSchedule('@weekly', 'mytool', 'mycronjob'), timeout: 3600, retry: 0})
  })
})
