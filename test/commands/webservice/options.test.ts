import {expect} from 'chai'
import nock from 'nock'
import {parse} from 'yaml'

import {run} from '../../helpers/run.js'
import {API, JOBS} from '../../helpers/tool-env.js'
import {fixture, makeWebserviceEnv, type WebserviceEnv} from '../../webservice/env.js'

type Json = Record<string, any>

/** The jobs API request body `start --dry-run` would send. */
async function plannedBody(args: string[]): Promise<Json> {
  const {stdout, stderr, exitCode} = await run(['webservice', '--backend=jobs-api', '--dry-run', '--json', ...args])
  if (exitCode !== 0) throw new Error(`exit ${exitCode}: ${stderr}`)
  return (JSON.parse(stdout) as Json[])[0]
}

describe('webservice options, templates and state', () => {
  let env: WebserviceEnv
  beforeEach(() => {
    env = makeWebserviceEnv()
  })
  afterEach(() => env.restore())

  it('resolves TYPE in both argument orders', async () => {
    expect((await plannedBody(['python3.13', 'start'])).imagename).to.equal('python3.13')
    expect((await plannedBody(['start', 'python3.13'])).imagename).to.equal('python3.13')
  })

  it('defaults the type to the manifest, else php7.4', async () => {
    expect((await plannedBody(['start'])).imagename).to.equal('php7.4')
    env.writeManifest('backend: jobs-api\nweb: node16\nversion: 4\n')
    expect((await plannedBody(['start'])).imagename).to.equal('node16')
  })

  it('takes template values, and lets the command line win', async () => {
    env.write('www/python/src/service.template', 'type: python3.11\ncpu: 500m\nmem: 1Gi\nreplicas: 2\nextra_args: [--foo]\n')
    expect(await plannedBody(['start'])).to.include({imagename: 'python3.11', cpu: '500m', memory: '1Gi', replicas: 2, cmd: '/usr/bin/webservice-runner --type uwsgi-python --port 8000 --foo'})
    expect(await plannedBody(['php8.2', 'start', '-c', '1', '-r', '1', '--', '--bar'])).to.include({imagename: 'php8.2', cpu: '1', replicas: 1, cmd: '/usr/bin/webservice-runner --type lighttpd --port 8000 --bar'})
  })

  it('uses --template FILE and names it in the unknown-keys warning', async () => {
    env.write('tpl.yaml', 'type: php8.2\nsome_stray_key: something\n')
    const {stderr, exitCode, stdout} = await run(['webservice', 'start', '--template', `${env.home}/tpl.yaml`, '--backend=jobs-api', '--dry-run'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain(`WARNING: Your template file (${env.home}/tpl.yaml) contains unknown keys: some_stray_key`)
    expect(parse(stdout).imagename).to.equal('php8.2')
  })

  it('fails on a template that is a list, and on several templates (exit 1)', async () => {
    env.write('service.template', "- I'm\n- an\n- array\n")
    const list = await run(['webservice', 'status'])
    expect(list.exitCode).to.equal(1)
    expect(list.stderr).to.contain(`ERROR: Your template file (${env.home}/service.template) contains errors:`)
    env.write('www/js/service.template', 'type: node16\n')
    const several = await run(['webservice', 'status'])
    expect(several.exitCode).to.equal(1)
    expect(several.stderr).to.contain('Only one service.template file is allowed').and.contain(`* ${env.home}/www/js/service.template`)
  })

  it('reports upstream usage errors with exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['webservice', 'start', '--mem', '1.5Gb'], 'argument -m/--mem: 1.5Gb is not a valid Kubernetes quantity'],
      [['webservice', 'start', '-r', 'x'], "argument -r/--replicas: invalid int value: 'x'"],
      [['webservice', 'start', '--backend', 'gridengine'], "argument --backend: invalid choice: 'gridengine'"],
      [['webservice', 'php7.4'], 'the following arguments are required: ACTION'],
      [['webservice', 'status', '--dry-run'], '--dry-run applies to start and restart only'],
    ]
    for (const [args, message] of cases) {
      const {stderr, exitCode} = await run(args)
      expect(exitCode, args.join(' ')).to.equal(2)
      expect(stderr).to.contain(message)
    }
  })

  it('rejects an unknown type with the list of supported ones, every item bulleted (Q-WS-06)', async () => {
    const {stderr, exitCode} = await run(['webservice', 'cobol', 'start', '--backend=jobs-api', '--dry-run'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('ERROR: type must be one of:\n  * buildservice\n  * jdk17\n')
    expect(stderr).not.to.contain('php7.3')
  })

  it('warns about deprecated types but accepts them', async () => {
    const {stderr, exitCode} = await run(['webservice', 'php7.3', 'start', '--backend=jobs-api', '--dry-run'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain("DEPRECATED: 'php7.3' type is deprecated.\n  See https://wikitech.wikimedia.org/wiki/Help:Toolforge/Kubernetes")
  })

  it('refuses a backend that does not match the manifest, with upstream advice (exit 1)', async () => {
    env.writeManifest(fixture('v0.98-service.manifest-after-start-php74.yaml'))
    const {stderr, exitCode} = await run(['webservice', '--backend=jobs-api', 'start'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(
      [
        `ERROR: Backend 'kubernetes' from ${env.manifestPath} does not match 'jobs-api'`,
        '  Try stopping your current webservice:',
        '    toolforge webservice stop',
        '  Then try starting it again:',
        '    toolforge webservice --backend=jobs-api start',
        '  If you have already tried that and it did not help, remove the state file before retrying:',
        `    rm ${env.manifestPath}`,
      ].join('\n'),
    )
  })

  it('repeats the whole command line in the mismatch hint, extra arguments included', async () => {
    env.writeManifest(fixture('v0.98-service.manifest-after-start-php74.yaml'))
    const {stderr, exitCode} = await run(['webservice', 'jdk17', 'start', '--backend=jobs-api', '--', 'java', '-jar', 'my app.jar'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain("  Then try starting it again:\n    toolforge webservice jdk17 start --backend=jobs-api -- java -jar 'my app.jar'\n")
  })

  it('checks a typed or templated TYPE for every action (exit 1, nothing asked)', async () => {
    const cases: Array<[string[], () => void]> = [
      [['webservice', 'cobol', 'status'], () => env.writeManifest('backend: jobs-api\nversion: 4\n')],
      [['webservice', 'stop', 'cobol'], () => env.writeManifest('backend: jobs-api\nversion: 4\n')],
      [['webservice', 'cobol', 'logs'], () => env.writeManifest('backend: jobs-api\nversion: 4\n')],
      [['webservice', 'status', '--template', `${env.home}/tpl.yaml`], () => env.write('tpl.yaml', 'type: cobol\nbackend: jobs-api\n')],
    ]
    for (const [args, setup] of cases) {
      setup()
      const {stderr, exitCode} = await run(args)
      expect(exitCode, args.join(' ')).to.equal(1)
      expect(stderr).to.contain('ERROR: type must be one of:\n  * buildservice\n')
    }
  })

  it('never lets a stored type it does not know stand in the way of stop or status; start refuses it', async () => {
    env.writeManifest('backend: jobs-api\nweb: cobol\nversion: 4\n')
    nock(API).get(`${JOBS}/jobs/webservice`).query(true).times(2).reply(404, {error: ["Job 'webservice' does not exist"]})
    expect(await run(['webservice', 'status'])).to.include({exitCode: 0, stdout: 'Your webservice is not running\n'})
    const start = await run(['webservice', 'start'])
    expect(start.exitCode, start.stderr).to.equal(1)
    expect(start.stderr).to.contain('ERROR: type must be one of:')
    expect((await run(['webservice', 'stop'])).exitCode).to.equal(0)
  })

  it('still accepts a deprecated TYPE for status, with the warning', async () => {
    env.writeManifest('backend: jobs-api\nversion: 4\n')
    nock(API).get(`${JOBS}/jobs/webservice`).query(true).reply(404, {error: ["Job 'webservice' does not exist"]})
    const {stdout, stderr, exitCode} = await run(['webservice', 'php7.3', 'status'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Your webservice is not running\n')
    expect(stderr).to.contain("DEPRECATED: 'php7.3' type is deprecated.")
  })

  it('takes extra arguments from the template before the manifest (upstream let a stale manifest win); the command line wins', async () => {
    env.writeManifest('backend: jobs-api\nweb: jdk17\nweb::extra_args: [java, -jar, stored.jar]\nversion: 4\n')
    expect((await plannedBody(['start'])).cmd).to.match(/ java -jar stored\.jar$/)
    env.write('service.template', 'type: jdk17\nextra_args: [java, -jar, template.jar]\n')
    expect((await plannedBody(['start'])).cmd).to.match(/ java -jar template\.jar$/)
    expect((await plannedBody(['start', '--', 'java', '-jar', 'typed.jar'])).cmd).to.match(/ java -jar typed\.jar$/)
  })

  it('explains that a grid engine manifest is obsolete (exit 1)', async () => {
    env.writeManifest('backend: gridengine\nrelease: buster\nversion: 4\nweb: lighttpd\n')
    const {stderr, exitCode} = await run(['webservice', 'status'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`ERROR: Backend 'gridengine' from ${env.manifestPath} is no longer supported`).and.contain(`rm ${env.manifestPath}`)
  })

  it('types: a table with state and default; --json', async () => {
    const {stdout, exitCode} = await run(['webservice', 'types'])
    expect(exitCode).to.equal(0)
    expect(stdout.split('\n')[0]).to.match(/^TYPE\s+IMAGE\s+STATE$/)
    expect(stdout).to.match(/\nphp7\.4 \(default\)\s+docker-registry\.tools\.wmflabs\.org\/toolforge-php74-sssd-web:latest\s+stable\n/)
    expect(stdout).to.match(/\nnode12\s+\S+\s+deprecated\n/)
    expect(stdout).to.contain('tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest')
    const json = JSON.parse((await run(['webservice', 'types', '--json'])).stdout) as {types: Json[]}
    expect(json.types.find((t) => t.name === 'python3.11')).to.deep.equal({
      name: 'python3.11', image: 'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest', state: 'stable', default: false, runner: 'python',
    })
  })
})

describe('webservice pre-flight checks', () => {
  let env: WebserviceEnv
  beforeEach(() => {
    env = makeWebserviceEnv()
    env.writeManifest('backend: jobs-api\nversion: 4\n')
  })
  afterEach(() => env.restore())

  const notRunning = () => nock(API).get(`${JOBS}/jobs/webservice`).query(true).reply(404, {error: ["Job 'webservice' does not exist"]})

  const CASES: Array<[string, string[], string]> = [
    ['python3.11', [], 'Could not find ~/www/python/src. Are you sure you have a proper uwsgi application in ~/www/python/src?'],
    ['node16', [], 'Could not find ~/www/js/package.json. Are you sure you have a proper nodejs application in ~/www/js?'],
    ['node16', ['www/js/package.json'], "'start' script was not defined in ~/www/js/package.json. Are you sure you have a proper nodejs application in ~/www/js?"],
    ['php8.2', [], 'Could not find a public_html folder or a .lighttpd.conf file in your tool home.'],
    ['tcl8.6', [], 'Could not find a public_html folder or a .lighttpd.conf file in your tool home.'],
  ]
  for (const [type, files, message] of CASES) {
    it(`${type}${files.length > 0 ? ` with ${files.join(', ')}` : ''}: ${message.slice(0, 40)}… (exit 1, nothing created)`, async () => {
      env.touch(...files)
      const api = notRunning()
      const {stderr, exitCode} = await run(['webservice', type, 'start'])
      expect(exitCode).to.equal(1)
      expect(stderr).to.contain(`ERROR: ${message}`)
      expect(api.isDone()).to.equal(true)
    })
  }

  it('only warns under --dry-run', async () => {
    const {stderr, exitCode} = await run(['webservice', 'python3.11', 'start', '--dry-run'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain('WARNING: Could not find ~/www/python/src.')
  })

  it('passes with the application in place; generic types need nothing', async () => {
    env.write('www/js/package.json', JSON.stringify({scripts: {start: 'node server.js'}}))
    env.touch('.lighttpd.conf')
    const running = {name: 'webservice', cmd: 'x', imagename: 'node16', job_type: 'continuous', status_short: 'Running'}
    for (const type of ['node16', 'php8.2', 'jdk17']) {
      nock(API)
        .get(`${JOBS}/jobs/webservice`).query(true).reply(404, {error: ['no']})
        .post(`${JOBS}/jobs`).reply(201, {job: running})
        .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: running})
      const {exitCode, stderr} = await run(['webservice', type, 'start'])
      expect(exitCode, `${type}: ${stderr}`).to.equal(0)
      env.writeManifest('backend: jobs-api\nversion: 4\n')
    }
  })
})
