import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'
import {parseAllDocuments} from 'yaml'

import {run} from '../../helpers/run.js'

const IDENTITY = ['--tool', 'tf-test', '--uid', '50001']
const EXPECTED_CONTAINER_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: {drop: ['ALL']},
  privileged: false,
  readOnlyRootFilesystem: false,
  runAsGroup: 50001,
  runAsNonRoot: true,
  runAsUser: 50001,
  procMount: 'Default',
}
const EXPECTED_POD_CONTEXT = {fsGroup: 50001, runAsGroup: 50001, runAsNonRoot: true, runAsUser: 50001, seccompProfile: {type: 'RuntimeDefault'}}

type Obj = {kind: string; metadata: {name: string; labels?: Record<string, string>}; spec: any}

function podSpec(object: Obj): any {
  if (object.kind === 'CronJob') return object.spec.jobTemplate.spec.template.spec
  return object.spec.template.spec
}

describe('jobs run/load --dry-run', () => {
  // Nothing may be sent: any request would fail on the disabled network and nock would not match.
  afterEach(() => expect(nock.pendingMocks()).to.deep.equal([]))

  it('renders a one-off Job with the explicit securityContext, offline, without a kubeconfig', async () => {
    const saved = process.env.HOME
    process.env.HOME = '/nonexistent-home'
    try {
      const {stdout, stderr, exitCode} = await run(['jobs', 'run', 'hello', '--image', 'python3.11', '--command', 'echo hi', ...IDENTITY, '--dry-run'])
      expect(exitCode, stderr).to.equal(0)
      const docs = parseAllDocuments(stdout, {version: '1.1'}) as unknown as {toJS(): Obj}[]
      const objects = docs.map((d) => d.toJS())
      expect(objects.map((o) => o.kind)).to.deep.equal(['Job'])
      const spec = podSpec(objects[0])
      expect(spec.securityContext).to.deep.equal(EXPECTED_POD_CONTEXT)
      expect(spec.containers[0].securityContext).to.deep.equal(EXPECTED_CONTAINER_CONTEXT)
      // Kubernetes reads YAML 1.1: label values like yes must stay strings.
      expect(stdout).to.include('jobs.toolforge.org/filelog: "yes"')
    } finally {
      process.env.HOME = saved
    }
  })

  it('renders a continuous job with port and publish as Deployment, Service and HTTPRoute in --json', async () => {
    const {stdout, exitCode} = await run([
      'jobs', 'run', 'mybot', '--image', 'python3.11', '--command', './bot.py', '--continuous', '--port', '8080',
      '--publish', '--health-check-http', '/healthz', '--replicas', '2', ...IDENTITY, '--dry-run', '--json',
    ])
    expect(exitCode).to.equal(0)
    const objects = JSON.parse(stdout) as Obj[]
    expect(objects.map((o) => o.kind)).to.deep.equal(['Deployment', 'Service', 'HTTPRoute'])
    expect(objects[0].spec.replicas).to.equal(2)
    expect(podSpec(objects[0]).containers[0].securityContext).to.deep.equal(EXPECTED_CONTAINER_CONTEXT)
  })

  it('renders a scheduled job with the macro expanded and the typed schedule kept', async () => {
    const {stdout} = await run(['jobs', 'run', 'nightly', '--image', 'python3.11', '--command', './n.sh', '--schedule', '@daily', ...IDENTITY, '--dry-run', '--json'])
    const [cron] = JSON.parse(stdout) as Obj[]
    expect(cron.kind).to.equal('CronJob')
    expect(cron.spec.schedule).to.match(/^\d+ \d+ \* \* \*$/)
    expect((cron.metadata as any).annotations['jobs.toolforge.org/cron-expression']).to.equal('@daily')
    expect(podSpec(cron).securityContext).to.deep.equal(EXPECTED_POD_CONTEXT)
  })

  it('still validates like a real run (exit 1, upstream message)', async () => {
    const {stderr, exitCode} = await run(['jobs', 'run', 'x', '--image', 'python3.11', '--command', 'a', '--port', '80', ...IDENTITY, '--dry-run'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('--port is only valid for continuous jobs')
  })

  it('--tool/--uid only go with --dry-run (usage error)', async () => {
    const {stderr, exitCode} = await run(['jobs', 'run', 'x', '--image', 'python3.11', '--command', 'a', '--uid', '5'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('--dry-run')
  })

  describe('load FILE --dry-run', () => {
    let dir: string
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'tf-dry-'))
    })
    afterEach(() => rmSync(dir, {recursive: true, force: true}))

    it('renders every entry of the file', async () => {
      const file = join(dir, 'jobs.yaml')
      writeFileSync(
        file,
        [
          '- {name: everyminute, command: ./a.py, image: bullseye, schedule: "* * * * *", no-filelog: true}',
          '- {name: endless, command: ./d.py, image: python3.11, continuous: true, port: 8080}',
        ].join('\n'),
      )
      const {stdout, exitCode} = await run(['jobs', 'load', file, ...IDENTITY, '--dry-run', '--json'])
      expect(exitCode).to.equal(0)
      const objects = JSON.parse(stdout) as Obj[]
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal(['CronJob/everyminute', 'Deployment/endless', 'Service/endless'])
      for (const o of objects.filter((x) => x.kind !== 'Service')) {
        expect(podSpec(o).containers[0].securityContext).to.deep.equal(EXPECTED_CONTAINER_CONTEXT)
      }
    })

    it('refuses an invalid file the same way a real load does', async () => {
      const file = join(dir, 'bad.yaml')
      writeFileSync(file, '- {name: a, command: x, image: python3.11, replicas: 2}\n')
      const {stderr, exitCode} = await run(['jobs', 'load', file, ...IDENTITY, '--dry-run'])
      expect(exitCode).to.equal(1)
      expect(stderr).to.include('--replicas is only valid for continuous jobs')
    })
  })
})
