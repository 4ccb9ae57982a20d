import {expect} from 'chai'
import {closeSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'

import {type FileLog, openFileLog} from '../../src/sandbox/filelog.js'
import {hostPath} from '../../src/sandbox/paths.js'
import {allowLoopback, cleanup, type Harness, JOBS, startHarness, tempDir, waitFor} from './helpers.js'

// File log paths are paths inside the job's container on Toolforge, where /data/project/<tool> is the
// tool home; the sandbox writes them on the host, so it must never write anywhere but the tool home.

describe('sandbox file logs: only inside the tool home', () => {
  let root: string
  let home: string
  let elsewhere: string
  const log = (podPath: string): FileLog => ({podPath, host: hostPath(root, 'tf-test', podPath), home})
  const append = (podPath: string, text: string): void => {
    const fd = openFileLog(log(podPath))
    writeSync(fd, text)
    closeSync(fd)
  }

  beforeEach(() => {
    root = tempDir('tf-filelog-')
    home = join(root, 'home', 'tf-test')
    elsewhere = join(root, 'elsewhere')
    mkdirSync(home, {recursive: true})
    mkdirSync(elsewhere)
  })
  afterEach(() => cleanup(root))

  it('appends, creating folders in the home', () => {
    append('logs/deep/a.out', 'one\n')
    append('/data/project/tf-test/logs/deep/a.out', 'two\n')
    expect(readFileSync(join(home, 'logs', 'deep', 'a.out'), 'utf8')).to.equal('one\ntwo\n')
  })

  it('refuses paths outside the home, creating nothing', () => {
    for (const path of ['/tmp/x/abs.out', '../../../trav.out', '/data/project/tf-test/../../../../../tmp/x', '/data/project/other/x.out']) {
      expect(() => openFileLog(log(path)), path).to.throw(`cannot write the file log ${path}: it is outside the tool home`)
    }
    expect(readdirSync(root).sort()).to.deep.equal(['elsewhere', 'home'])
  })

  it('refuses a symlinked folder that leads out, without creating folders there', () => {
    symlinkSync(elsewhere, join(home, 'out'))
    expect(() => openFileLog(log('out/sub/x.out'))).to.throw('cannot write the file log out/sub/x.out: a symlink leads out of the tool home')
    expect(readdirSync(elsewhere)).to.deep.equal([])
  })

  it('refuses a log file that is a symlink leading out, or to nothing', () => {
    writeFileSync(join(elsewhere, 'target'), '')
    symlinkSync(join(elsewhere, 'target'), join(home, 'x.out'))
    expect(() => openFileLog(log('x.out'))).to.throw('cannot write the file log x.out: a symlink leads out of the tool home')
    expect(readFileSync(join(elsewhere, 'target'), 'utf8')).to.equal('')
    symlinkSync(join(elsewhere, 'new'), join(home, 'dangling.out'))
    expect(() => openFileLog(log('dangling.out'))).to.throw('cannot write the file log dangling.out: it is a symlink to nothing')
    expect(existsSync(join(elsewhere, 'new'))).to.equal(false)
  })

  it('follows symlinks that stay in the home', () => {
    mkdirSync(join(home, 'real'))
    symlinkSync(join(home, 'real'), join(home, 'alias'))
    symlinkSync('real/target.log', join(home, 'link.out'))
    append('alias/a.out', 'a\n')
    append('/data/project/tf-test/real/target.log', '')
    append('link.out', 'b\n')
    expect(readFileSync(join(home, 'real', 'a.out'), 'utf8')).to.equal('a\n')
    expect(readFileSync(join(home, 'real', 'target.log'), 'utf8')).to.equal('b\n')
  })
})

describe('sandbox jobs API: file log paths', () => {
  let h: Harness
  let root: string
  const show = async (name: string): Promise<any> => (await h.client.call('GET', `${JOBS}/jobs/${name}`)).body.job

  before(async () => {
    allowLoopback()
    // Deep enough that even a sandbox without these checks would write inside this temp dir.
    root = tempDir('tf-filelog-api-')
    h = await startHarness({}, join(root, 'a', 'b', 'c', 'd', 'sandbox'))
  })
  beforeEach(allowLoopback)
  afterEach(async () => {
    await h.client.call('DELETE', `${JOBS}/jobs`)
  })
  after(async () => {
    await h.close()
    cleanup(root)
  })

  it('refuses paths outside the tool home with 400, before the job is stored', async () => {
    const outside = join(root, 'outside')
    const cases: Array<[string, Record<string, unknown>]> = [
      [`${outside}/abs.out`, {filelog_stdout: `${outside}/abs.out`}],
      ['/data/project/tf-test/../../../trav.out', {filelog_stderr: '../../../trav.out'}],
      ['/data/project/tf-test/../../../../../tmp/x', {filelog_stdout: '/data/project/tf-test/../../../../../tmp/x'}],
      ['/data/project/other/x.out', {filelog_stdout: '/data/project/other/x.out'}],
    ]
    for (const [shown, paths] of cases) {
      const created = await h.client.call('POST', `${JOBS}/jobs/`, {name: 'esc', cmd: 'echo hi', imagename: 'bookworm', filelog: true, ...paths})
      expect(created.status, shown).to.equal(400)
      expect(created.body).to.deep.equal({error: [
        `File log path '${shown}' is outside the tool home /data/project/tf-test: the sandbox writes file logs only there (relative paths are in the tool home)`,
      ]})
      expect((await h.client.call('GET', `${JOBS}/jobs/esc`)).status).to.equal(404)
    }
    // The same check guards updates (jobs load).
    const patched = await h.client.call('PATCH', `${JOBS}/jobs/`, {name: 'esc', cmd: 'echo hi', imagename: 'bookworm', continuous: true, filelog_stdout: '../x.out'})
    expect(patched.status).to.equal(400)
    expect(existsSync(outside)).to.equal(false)
  })

  it('keeps ordinary paths as jobs-api resolves them', async () => {
    const created = await h.client.call('POST', `${JOBS}/jobs/`, {name: 'ok', cmd: 'echo hi', imagename: 'bookworm', filelog_stdout: 'logs/../ok.log'})
    expect(created.status).to.equal(201)
    expect(created.body.job).to.include({filelog_stdout: '/data/project/tf-test/logs/../ok.log', filelog_stderr: '/data/project/tf-test/ok.err'})
    await waitFor(async () => (await show('ok')).status_short === 'Completed' || undefined)
    expect(readFileSync(join(h.dataDir, 'home', 'tf-test', 'ok.log'), 'utf8')).to.equal('hi\n')
  })

  it('fails the pod, saying why, when a symlink in the home leads out at write time', async () => {
    const outside = join(root, 'outside-link-target')
    mkdirSync(outside)
    mkdirSync(join(h.dataDir, 'home', 'tf-test'), {recursive: true})
    symlinkSync(outside, join(h.dataDir, 'home', 'tf-test', 'escape'))
    const created = await h.client.call('POST', `${JOBS}/jobs/`, {name: 'sym', cmd: 'echo hi', imagename: 'bookworm', filelog_stdout: 'escape/sub/x.out'})
    expect(created.status).to.equal(201)
    await waitFor(async () => (await show('sym')).status_short === 'Failed' || undefined)
    const job = await show('sym')
    expect(job.status_long).to.include("Exit code '2'")
    expect(job.status_long).to.include('cannot write the file log /data/project/tf-test/escape/sub/x.out: a symlink leads out of the tool home')
    expect(readdirSync(outside)).to.deep.equal([])
  })
})
