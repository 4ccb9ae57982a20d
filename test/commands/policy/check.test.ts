import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {stringify} from 'yaml'

import {buildJobObjects} from '../../../src/kube/jobs.js'
import {run} from '../../helpers/run.js'

describe('policy check', () => {
  let dir: string
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  const identity = ['--tool', 'mytool', '--uid', '52000']

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tf-policy-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('passes objects the CLI generates (multi-document YAML), exit 0', async () => {
    const objects = buildJobObjects(
      {name: 'mybot', cmd: './bot.py', imagename: 'python3.11', job_type: 'continuous', port: 8080},
      {tool: 'mytool', uid: 52000},
    )
    const path = file('ok.yaml', objects.map((o) => stringify(o)).join('---\n'))
    const {stdout, exitCode} = await run(['policy', 'check', '-f', path, ...identity])
    expect(exitCode).to.equal(0)
    expect(stdout).to.include(`${objects.length} object(s) checked: all comply with the Toolforge pod policy`)
  })

  it('lists every violation in Kyverno form and exits 1', async () => {
    const path = file(
      'bad.yaml',
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {name: 'p1'},
        spec: {
          hostNetwork: true,
          securityContext: {runAsUser: 0},
          containers: [{name: 'c', image: 'x', securityContext: {procMount: 'DefaultProcMount', privileged: true}}],
        },
      }),
    )
    const {stderr, exitCode} = await run(['policy', 'check', '-f', path, ...identity])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include(`${path} #1 Pod/p1:`)
    expect(stderr).to.include(
      'validation error: runAsNonRoot must be set to true. rule toolforge-validate-pod-policy failed at path /spec/securityContext/runAsNonRoot/',
    )
    expect(stderr).to.match(/procMount must be Default or unset \("DefaultProcMount" is the name of the Go constant/)
    expect(stderr).to.include('/spec/hostNetwork/')
    expect(stderr).to.match(/1 object\(s\) checked: 1 refused, \d+ violation\(s\)/)
  })

  it('returns a stable JSON report', async () => {
    const path = file('bad.json', JSON.stringify({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {containers: [{name: 'c', image: 'x'}]}}))
    const {stdout, exitCode} = await run(['policy', 'check', '-f', path, ...identity, '--json'])
    expect(exitCode).to.equal(1)
    const report = JSON.parse(stdout)
    expect(report).to.include({ok: false, tool: 'mytool', uid: 52000})
    expect(report.results[0]).to.include({source: path, index: 0, kind: 'Pod', name: 'p'})
    expect(report.results[0].violations[0]).to.have.keys('rule', 'path', 'message', 'kind', 'name')
  })

  it('refuses input that is not YAML, with exit 1 and one line', async () => {
    const path = file('broken.yaml', 'kind: Pod\n  spec: [unclosed\n')
    const {stderr, exitCode} = await run(['policy', 'check', '-f', path, ...identity])
    expect(exitCode).to.equal(1)
    expect(stderr).to.match(/^ERROR: .*broken\.yaml: document 1 is not valid YAML or JSON/)
    expect(stderr.trim().split('\n')).to.have.length(1)
  })

  for (const [name, doc, expected] of [
    ['not an object', '- just\n- a list\n', /not an object|must be an object/i],
    ['a workload without containers', stringify({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'd'}, spec: {template: {spec: {}}}}), /containers/],
    ['an unknown kind with a pod spec', stringify({apiVersion: 'x/v1', kind: 'Widget', metadata: {name: 'w'}, spec: {template: {spec: {containers: [{name: 'c', image: 'i'}]}}}}), /unknown|Widget/],
  ] as const) {
    it(`reports ${name} as an error for that object`, async () => {
      const path = file('x.yaml', doc)
      const {stderr, exitCode} = await run(['policy', 'check', '-f', path, ...identity])
      expect(exitCode).to.equal(1)
      expect(stderr).to.match(expected)
    })
  }

  it('reports a missing file clearly', async () => {
    const {stderr, exitCode} = await run(['policy', 'check', '-f', join(dir, 'nope.yaml'), ...identity])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('Unable to read').and.include('ENOENT')
  })
})
