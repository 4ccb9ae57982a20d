import {expect} from 'chai'

import type {NewJob} from '../../src/api/jobs-types.js'
import {buildJobObjects, type JobContext} from '../../src/kube/jobs.js'
import {parseQuantity, compareDec} from '../../src/kube/quantity.js'
import {containerSecurityContext, podSecurityContext} from '../../src/kube/security-context.js'
import type {CronJobObject, DeploymentObject, JobObject, KubeObject} from '../../src/kube/types.js'
import {expectGolden} from './golden.js'
import {fixtureJson} from './fixtures.js'

const SOME_TOOL: JobContext = {tool: 'some-tool', uid: 50001}

interface Case {
  name: string
  job: NewJob
  ctx?: Partial<JobContext>
}

const CASES: Case[] = [
  {name: 'oneoff-filelog', job: {name: 'testone-off', cmd: 'date', imagename: 'python3.11', job_type: 'one-off'}},
  {name: 'oneoff-no-filelog', job: {name: 'quiet', cmd: './run.sh --x', imagename: 'bookworm', job_type: 'one-off', filelog: false}},
  {
    name: 'oneoff-custom-logs',
    job: {name: 'logs', cmd: 'echo hi', imagename: 'tf-php74', job_type: 'one-off', filelog_stdout: 'logs//out.txt', filelog_stderr: '/data/project/some-tool/logs/./both.log'},
  },
  {
    name: 'oneoff-same-log-file',
    job: {name: 'both', cmd: 'date', imagename: 'python3.13', job_type: 'one-off', filelog_stdout: 'all.log', filelog_stderr: 'all.log'},
  },
  {
    name: 'oneoff-buildservice-launcher',
    job: {name: 'bot', cmd: 'python3 bot.py --name "a b"', imagename: 'tool-some-tool/bot:latest', job_type: 'one-off'},
  },
  {
    name: 'oneoff-buildservice-filelog',
    job: {name: 'bot', cmd: 'web', imagename: 'tools-harbor.wmcloud.org/tool-some-tool/bot:v1', job_type: 'one-off', filelog: true},
  },
  {name: 'oneoff-buildservice-has-launcher', job: {name: 'bot', cmd: 'launcher web --port 1', imagename: 'tool-other/img:latest', job_type: 'one-off'}},
  {
    name: 'oneoff-retry-resources',
    job: {name: 'heavy', cmd: 'make', imagename: 'jdk17', job_type: 'one-off', retry: 3, memory: '2Gi', cpu: '500m', emails: 'onfailure'},
  },
  {name: 'oneoff-small-memory', job: {name: 'small', cmd: 'true', imagename: 'node16', job_type: 'one-off', memory: '256Mi', cpu: '50m'}},
  {
    name: 'scheduled-cron-timeout',
    job: {name: 'every10', cmd: './sync.sh', imagename: 'python3.11', job_type: 'scheduled', schedule: '*/10 * * * *', timeout: 3600, retry: 1},
  },
  {name: 'scheduled-daily', job: {name: 'cronjobtest', cmd: 'date', imagename: 'python3.11', job_type: 'scheduled', schedule: '@daily'}, ctx: {tool: 'tf-test'}},
  {name: 'continuous-plain', job: {name: 'loop', cmd: 'while sleep 2; do date; done', imagename: 'python3.11', job_type: 'continuous', continuous: true}},
  {name: 'continuous-port-tcp', job: {name: 'api', cmd: './serve', imagename: 'golang1.11', job_type: 'continuous', port: 8080, filelog: false}},
  {name: 'continuous-port-udp', job: {name: 'dns', cmd: './dns', imagename: 'python3.11', job_type: 'continuous', port: 5353, port_protocol: 'udp'}},
  {
    name: 'continuous-health-script',
    job: {name: 'migrate', cmd: 'cmdname', imagename: 'python3.11', job_type: 'continuous', health_check: {type: 'script', script: './some_script.sh'}},
  },
  {
    name: 'continuous-health-script-buildservice',
    job: {name: 'worker', cmd: 'worker', imagename: 'tool-some-tool/app:latest', job_type: 'continuous', health_check: {type: 'script', script: 'check --deep "x y"'}},
  },
  {
    name: 'continuous-health-http-replicas',
    job: {name: 'mybot', cmd: './bot.py', imagename: 'python3.11', job_type: 'continuous', port: 8080, health_check: {type: 'http', path: '/healthz'}, replicas: 2, memory: '1Gi'},
  },
  {
    name: 'continuous-publish',
    job: {name: 'site', cmd: 'web', imagename: 'tool-some-tool/site:latest', job_type: 'continuous', port: 1234, publish: '/'},
    ctx: {project: 'toolsbeta'},
  },
  {
    name: 'continuous-restart',
    job: {name: 'loop', cmd: 'sleep infinity', imagename: 'bookworm', job_type: 'continuous'},
    ctx: {restart: true, now: new Date('2026-07-01T10:00:00.123Z')},
  },
]

function build(c: Case): KubeObject[] {
  return buildJobObjects(c.job, {...SOME_TOOL, ...c.ctx})
}

function podSpecs(objects: KubeObject[]) {
  return objects.flatMap((o) => {
    if (o.kind === 'Job' || o.kind === 'Deployment') return [o.spec.template.spec!]
    if (o.kind === 'CronJob') return [o.spec.jobTemplate.spec!.template.spec!]
    return []
  })
}

function quantityEqual(a: string | number | undefined, b: string | number | undefined): boolean {
  return compareDec(parseQuantity(String(a)), parseQuantity(String(b))) === 0
}

describe('kube/jobs golden objects', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const objects = build(c)
      expectGolden(`jobs-${c.name}`, objects)
      const uid = SOME_TOOL.uid
      for (const spec of podSpecs(objects)) {
        expect(spec.securityContext).to.deep.equal(podSecurityContext(uid))
        for (const container of spec.containers) expect(container.securityContext).to.deep.equal(containerSecurityContext(uid))
      }
    })
  }
})

describe('kube/jobs agrees with the upstream jobs-api fixtures', () => {
  // Labels the API server or the Job controller adds.
  const SERVER_LABELS = ['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name']
  const withoutServerLabels = (labels: Record<string, string>) =>
    Object.fromEntries(Object.entries(labels).filter(([k]) => !SERVER_LABELS.includes(k)))
  // Upstream omits procMount; we state its default explicitly (the only field we add).
  const withoutProcMount = (context: Record<string, unknown>) => {
    const {procMount, ...rest} = context
    expect(procMount).to.equal('Default')
    return rest
  }

  it('one-off Job (fixture-job-simple-prebuilt.json)', () => {
    const fixture = fixtureJson('upstream/fixture-job-simple-prebuilt.json')
    const [job] = build(CASES[0]) as [JobObject]
    expect(job.apiVersion).to.equal(fixture.apiVersion)
    expect(job.metadata.name).to.equal(fixture.metadata.name)
    expect(job.metadata.namespace).to.equal(fixture.metadata.namespace)
    expect(job.metadata.labels).to.deep.equal(fixture.metadata.labels)
    expect(job.spec.backoffLimit).to.equal(fixture.spec.backoffLimit)
    expect(job.spec.ttlSecondsAfterFinished).to.equal(fixture.spec.ttlSecondsAfterFinished)

    const ours = job.spec.template
    const theirs = fixture.spec.template
    expect(ours.metadata!.labels).to.deep.equal(withoutServerLabels(theirs.metadata.labels))
    for (const key of ['restartPolicy', 'terminationGracePeriodSeconds', 'securityContext']) {
      expect((ours.spec as any)[key], key).to.deep.equal(theirs.spec[key])
    }
    const [c] = ours.spec!.containers
    const [f] = theirs.spec.containers
    for (const key of ['name', 'image', 'command', 'workingDir']) expect((c as any)[key], key).to.deep.equal(f[key])
    expect(withoutProcMount(c.securityContext as Record<string, unknown>)).to.deep.equal(f.securityContext)
    for (const side of ['limits', 'requests'] as const) {
      for (const res of ['cpu', 'memory']) {
        expect(quantityEqual(c.resources![side]![res], f.resources[side][res]), `${side}.${res}`).to.equal(true)
      }
    }
  })

  it('scheduled CronJob (fixture-daily_cronjob.json), apart from its older history limits and cpu defaults', () => {
    const fixture = fixtureJson('upstream/fixture-daily_cronjob.json')
    const [cron] = build(CASES.find((c) => c.name === 'scheduled-daily')!) as [CronJobObject]
    expect(cron.metadata.labels).to.deep.equal(fixture.metadata.labels)
    expect(cron.metadata.annotations).to.deep.equal(fixture.metadata.annotations)
    expect(cron.spec.schedule).to.equal(fixture.spec.schedule)
    for (const key of ['startingDeadlineSeconds', 'concurrencyPolicy']) expect((cron.spec as any)[key], key).to.equal(fixture.spec[key])
    // Older object: 0 history limits and cpu 500m (kubernetes-objects.md §3.2, §2.4).
    expect(fixture.spec.successfulJobsHistoryLimit).to.equal(0)
    expect(cron.spec.successfulJobsHistoryLimit).to.equal(1)

    const ours = cron.spec.jobTemplate.spec!
    const theirs = fixture.spec.jobTemplate.spec
    expect(ours.backoffLimit).to.equal(theirs.backoffLimit)
    expect(ours.ttlSecondsAfterFinished).to.equal(theirs.ttlSecondsAfterFinished)
    expect(ours.template.metadata!.labels).to.deep.equal(theirs.template.metadata.labels)
    expect(ours.template.spec!.securityContext).to.deep.equal(theirs.template.spec.securityContext)
    const [c] = ours.template.spec!.containers
    const [f] = theirs.template.spec.containers
    for (const key of ['name', 'image', 'command', 'workingDir']) expect((c as any)[key], key).to.deep.equal(f[key])
    expect(withoutProcMount(c.securityContext as Record<string, unknown>)).to.deep.equal(f.securityContext)
    expect(quantityEqual(c.resources!.limits!.memory, f.resources.limits.memory)).to.equal(true)
  })

  it('continuous Deployment probes and labels (2023 fixture with a script health check)', () => {
    const fixture = fixtureJson('upstream/fixture-deployment-simple-buildservice-with-healthcheck.json')
    const [deployment] = build(CASES.find((c) => c.name === 'continuous-health-script')!) as [DeploymentObject]
    const {['jobs.toolforge.org/filelog']: filelog, ...labels} = deployment.metadata.labels!
    expect(filelog).to.equal('yes')
    expect(labels).to.deep.equal(fixture.metadata.labels)
    expect(deployment.spec.replicas).to.equal(fixture.spec.replicas)
    expect(deployment.spec.progressDeadlineSeconds).to.equal(fixture.spec.progressDeadlineSeconds)
    expect(deployment.spec.template.spec!.restartPolicy).to.equal(fixture.spec.template.spec.restartPolicy)
    const [c] = deployment.spec.template.spec!.containers
    const [f] = fixture.spec.template.spec.containers
    for (const probe of ['startupProbe', 'livenessProbe']) {
      // The API server adds successThreshold: 1.
      const {successThreshold, ...expected} = f[probe]
      expect(successThreshold).to.equal(1)
      expect({initialDelaySeconds: 0, ...expected}, probe).to.deep.equal((c as any)[probe])
    }
  })
})
