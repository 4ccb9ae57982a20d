import {expect} from 'chai'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {asctime, Manifest} from '../../src/webservice/manifest.js'
import {fixture} from './env.js'

// The header time of the upstream files, as a local time (asctime uses the local zone).
const PHP_TIME = new Date(2026, 10, 22, 8, 1, 50)
const BUILDSERVICE_TIME = new Date(2026, 10, 22, 8, 2, 5)

describe('service.manifest', () => {
  let home: string
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'tf-manifest-'))
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  for (const [name, time] of [
    ['v0.98-service.manifest-after-start-php74.yaml', PHP_TIME],
    ['v0.98-service.manifest-after-start-buildservice.yaml', BUILDSERVICE_TIME],
  ] as const) {
    it(`reads and rewrites upstream's ${name} byte for byte`, () => {
      const text = fixture(name)
      writeFileSync(join(home, 'service.manifest'), text)
      Manifest.load(home).save(time)
      expect(readFileSync(join(home, 'service.manifest'), 'utf8')).to.equal(text)
    })
  }

  it('reads the upstream values with their types', () => {
    writeFileSync(join(home, 'service.manifest'), fixture('v0.98-service.manifest-after-start-buildservice.yaml'))
    expect(Manifest.load(home).values).to.deep.include({
      backend: 'kubernetes', web: 'buildservice', cpu: '1', memory: '2Gi', replicas: 2, buildserviceImage: 'tool-mytool/tool-mytool:latest',
    })
  })

  it('writes what upstream writes after `buildservice start --mem 2Gi --cpu 1 -r 2`', () => {
    const manifest = Manifest.load(home)
    manifest.setWeb({backend: 'kubernetes', web: 'buildservice', buildserviceImage: 'tool-mytool/tool-mytool:latest', cpu: '1', memory: '2Gi', replicas: 2})
    manifest.save(BUILDSERVICE_TIME)
    expect(readFileSync(join(home, 'service.manifest'), 'utf8')).to.equal(fixture('v0.98-service.manifest-after-start-buildservice.yaml'))
  })

  it('writes extra args as a block list under web::extra_args, as upstream', () => {
    const manifest = Manifest.load(home)
    manifest.setWeb({backend: 'jobs-api', web: 'jdk17', extraArgs: ['--foo', 'bar', '1', 'yes']})
    manifest.save(PHP_TIME)
    const text = readFileSync(join(home, 'service.manifest'), 'utf8')
    expect(text).to.contain("web::extra_args:\n- --foo\n- bar\n- '1'\n- 'yes'\n")
    expect(Manifest.load(home).values.extraArgs).to.deep.equal(['--foo', 'bar', '1', 'yes'])
  })

  it('forgets stored replicas when one replica is asked for (Q-WS-03)', () => {
    writeFileSync(join(home, 'service.manifest'), fixture('v0.98-service.manifest-after-start-buildservice.yaml'))
    const manifest = Manifest.load(home)
    manifest.setWeb({...manifest.values, backend: 'kubernetes', web: 'buildservice', replicas: 1})
    manifest.save(BUILDSERVICE_TIME)
    expect(Manifest.load(home).data).not.to.have.property('replicas')
  })

  it('stop keeps only the version and keys it does not own', () => {
    writeFileSync(join(home, 'service.manifest'), `${fixture('v0.98-service.manifest-after-start-buildservice.yaml')}distribution: debian\nother: kept\n`)
    const manifest = Manifest.load(home)
    manifest.clearWeb()
    manifest.save(PHP_TIME)
    expect(readFileSync(join(home, 'service.manifest'), 'utf8')).to.equal(
      '# This file is used by Toolforge infrastructure.\n# Please do not edit manually at this time.\n# Sun Nov 22 08:01:50 2026\nother: kept\nversion: 4\n',
    )
  })

  it('is not blocked by a stale service.manifest~ (Q-WS-10)', () => {
    writeFileSync(join(home, 'service.manifest~'), 'left over by a crash')
    const manifest = Manifest.load(home)
    manifest.setWeb({backend: 'kubernetes', web: 'php7.4'})
    manifest.save(PHP_TIME)
    expect(Manifest.load(home).values.web).to.equal('php7.4')
    expect(existsSync(join(home, 'service.manifest~'))).to.equal(false)
  })

  it('treats a missing or empty file as no state', () => {
    expect(Manifest.load(home).data).to.deep.equal({})
    writeFileSync(join(home, 'service.manifest'), '')
    expect(Manifest.load(home).data).to.deep.equal({})
  })

  it('formats the header time like Python time.asctime', () => {
    expect(asctime(new Date(2026, 0, 5, 7, 3, 9))).to.equal('Mon Jan  5 07:03:09 2026')
  })
})
