import {expect} from 'chai'
import {execFile, execFileSync} from 'node:child_process'
import {chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {DefinedJob, NewJob} from '../../src/api/jobs-types.js'
import {jobToDumpEntry, renderDump, writeFileAtomic} from '../../src/jobs/dump.js'
import {parseJobsYaml, planLoad} from '../../src/jobs/load.js'
import type {JobOptions} from '../../src/jobs/payload.js'
import {validateJobOptions} from '../../src/jobs/validate.js'

const TOOL = 'tf-test'
const dump = (job: Partial<DefinedJob>, warn?: (m: string) => void) =>
  jobToDumpEntry({name: 'mem', cmd: './run.sh', imagename: 'bookworm', job_type: 'one-off', ...job} as DefinedJob, {tool: TOOL, warn})!

describe('jobToDumpEntry (jobs.md §4.3)', () => {
  it('renames cmd, imagename and memory (upstream test_dump)', () => {
    expect(dump({memory: '1G'})).to.deep.equal({name: 'mem', command: './run.sh', image: 'bookworm', mem: '1G'})
  })

  it('shows filelog only when it differs from the image type default, as booleans', () => {
    expect(dump({imagename: 'tool-tf-test/app:latest', filelog: true})).to.deep.include({filelog: true})
    expect(dump({filelog: false})).to.deep.include({'no-filelog': true})
    expect(dump({filelog: true})).not.to.have.any.keys('filelog', 'no-filelog')
    expect(dump({imagename: 'tool-tf-test/app:latest', filelog: false})).not.to.have.any.keys('filelog', 'no-filelog')
  })

  it('log paths: defaults hidden, the tool home prefix stripped', () => {
    const entry = dump({
      filelog: true,
      filelog_stdout: '/data/project/tf-test/mem.out',
      filelog_stderr: '/data/project/tf-test/dir/something.err',
    })
    expect(entry).not.to.have.property('filelog-stdout')
    expect(entry['filelog-stderr']).to.equal('dir/something.err')
    expect(dump({filelog_stdout: '/srv/elsewhere.out'})['filelog-stdout']).to.equal('/srv/elsewhere.out')
    const withDataDir = jobToDumpEntry({name: 'j', cmd: 'c', imagename: 'bookworm', job_type: 'one-off', filelog_stdout: '/home/tool/j.out', filelog_stderr: '/home/tool/logs/j.err'}, {tool: TOOL, toolDataDir: '/home/tool/'})!
    expect(withDataDir).not.to.have.property('filelog-stdout')
    expect(withDataDir['filelog-stderr']).to.equal('logs/j.err')
  })

  it('drops log paths of jobs without file logs (they would not load)', () => {
    expect(dump({imagename: 'tool-tf-test/app:latest', filelog_stdout: '/data/project/tf-test/x.out'})).not.to.have.property('filelog-stdout')
  })

  it('hides default mount, retry 0 and emails none', () => {
    expect(dump({mount: 'all', retry: 0, emails: 'none'})).to.deep.equal({name: 'mem', command: './run.sh', image: 'bookworm'})
    expect(dump({imagename: 'tool-tf-test/app:latest', mount: 'none'})).not.to.have.property('mount')
    expect(dump({imagename: 'tool-tf-test/app:latest', mount: 'all', filelog: true})).to.deep.include({mount: 'all'})
    expect(dump({retry: 3, emails: 'onfailure'})).to.deep.include({retry: 3, emails: 'onfailure'})
  })

  it('continuous: replicas, health check, port (Q-JOBS-11 fixed), publish', () => {
    const entry = dump({job_type: 'continuous', continuous: true, replicas: 1, port: 8080, port_protocol: 'udp', health_check: {type: 'http', path: '/healthz'}})
    expect(entry).to.deep.include({continuous: true, replicas: 1, port: '8080/udp', 'health-check-http': '/healthz'})
    expect(dump({job_type: 'continuous', port: 1234, publish: '/'})).to.deep.include({continuous: true, port: 1234, publish: true})
    expect(dump({job_type: 'continuous', health_check: {type: 'script', script: './check'}})).to.deep.include({'health-check-script': './check'})
  })

  it('replicas only for continuous jobs; continuous from job_type alone', () => {
    expect(dump({job_type: 'one-off', replicas: 1})).not.to.have.property('replicas')
    expect(dump({job_type: 'continuous'})).to.deep.include({continuous: true})
  })

  it('scheduled: schedule as configured and timeout; never schedule_actual or status', () => {
    const entry = dump({job_type: 'scheduled', schedule: '@daily', schedule_actual: '17 4 * * *', timeout: 3600, status_short: 'x', status_long: 'y', image_state: 'stable'})
    expect(entry).to.deep.equal({name: 'mem', command: './run.sh', image: 'bookworm', schedule: '@daily', timeout: 3600})
  })

  it('leaves out job types a jobs file cannot describe, with a warning', () => {
    const warnings: string[] = []
    const job = {name: 'webservice', cmd: 'web', imagename: 'tool-tf-test/app:latest', job_type: 'webservice', port: 8000} as DefinedJob
    expect(jobToDumpEntry(job, {tool: TOOL, warn: (w) => warnings.push(w)})).to.equal(undefined)
    expect(warnings).to.deep.equal(["job 'webservice' is a webservice job, which a jobs file cannot describe; omitting it from dump"])
  })

  it('warns about keys it does not know', () => {
    const warnings: string[] = []
    const entry = dump({sidecar: 'x'} as Partial<DefinedJob>, (w) => warnings.push(w))
    expect(entry).not.to.have.property('sidecar')
    expect(warnings).to.deep.equal(["unexpected key 'sidecar' in job, omitting it from dump"])
  })
})

describe('renderDump', () => {
  it('sorted keys, block style, PyYAML-like quoting', () => {
    const yaml = renderDump([
      {name: 'emails-test', command: './mycommand.sh --argument1', image: 'bullseye', emails: 'all'},
      {name: 'mycronjob', command: './daily.sh', image: 'python3.11', schedule: '@daily'},
    ])
    expect(yaml).to.equal(
      [
        '- command: ./mycommand.sh --argument1',
        '  emails: all',
        '  image: bullseye',
        '  name: emails-test',
        '- command: ./daily.sh',
        '  image: python3.11',
        '  name: mycronjob',
        "  schedule: '@daily'",
        '',
      ].join('\n'),
    )
  })

  it('quotes strings YAML 1.1 would read as something else and never folds long commands', () => {
    const command = `${'x'.repeat(120)} --flag`
    const yaml = renderDump([{name: 'a', command, image: 'yes', mem: '0755'}])
    expect(yaml).to.include(`command: ${command}\n`).and.include("image: 'yes'").and.include("mem: '0755'")
  })
})

describe('dump → load round trip', () => {
  const ORIGINALS: JobOptions[] = [
    {name: 'oneoff', command: './run.sh --flag "quoted arg"', image: 'python3.11', retry: 2, emails: 'onfailure', mem: '1Gi', cpu: '500m'},
    {name: 'nolog', command: 'yes', image: 'bookworm', noFilelog: true},
    {name: 'custom-logs', command: './x', image: 'bookworm', filelogStdout: 'logs/x.out', filelogStderr: '/srv/x.err'},
    {name: 'nightly', command: './nightly.sh', image: 'python3.11', schedule: '@daily', timeout: 3600},
    {name: 'every5', command: './often.sh', image: 'python3.11', schedule: '*/5 * * * *'},
    {name: 'bs-logs', command: 'web', image: 'tool-tf-test/app:latest', filelog: true, mount: 'all'},
    {name: 'mybot', command: './bot.py', image: 'tool-tf-test/tool-tf-test:latest', continuous: true, replicas: 2, port: '8080/tcp', healthCheckHttp: '/healthz', mem: '1Gi', cpu: '500m'},
    {name: 'udp', command: './dns', image: 'bookworm', continuous: true, port: '53/udp', healthCheckScript: './check.sh'},
    {name: 'public', command: './serve', image: 'python3.11', continuous: true, port: '1234', publish: true},
  ]

  /** What GET /jobs?include_unset=false returns for a job created from `payload`: what was sent, plus job_type. */
  const asStored = (payload: NewJob): DefinedJob => ({...payload}) as DefinedJob

  it('payloads loaded from the dump equal the payloads that created the jobs', () => {
    const payloads = ORIGINALS.map((o) => validateJobOptions(o).payload)
    const yaml = renderDump(payloads.map((p) => jobToDumpEntry(asStored(p), {tool: TOOL})!))
    const warnings: string[] = []
    const reloaded = planLoad(parseJobsYaml(yaml, 'dump.yaml'), {source: 'dump.yaml', warn: (w) => warnings.push(w)})
    expect(warnings).to.deep.equal([])
    expect(reloaded.map((job) => job.validated.payload)).to.deep.equal(payloads)
  })

  it('also when the API omits continuous and port_protocol', () => {
    const payload = validateJobOptions({name: 'svc', command: './s', image: 'bookworm', continuous: true, port: '8080'}).payload
    const stored = {...payload} as Partial<NewJob>
    delete stored.continuous
    const yaml = renderDump([jobToDumpEntry(stored as DefinedJob, {tool: TOOL})!])
    expect(yaml).to.include('port: 8080\n')
    const [reloaded] = planLoad(parseJobsYaml(yaml, 'd'), {source: 'd', warn() {}})
    expect(reloaded.validated.payload).to.deep.equal(payload)
  })
})

const DUMP_MODULE = fileURLToPath(new URL('../../src/jobs/dump.ts', import.meta.url))

describe('writeFileAtomic', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tf-dump-'))
  })
  afterEach(() => {
    chmodSync(dir, 0o755)
    rmSync(dir, {recursive: true, force: true})
  })

  it('writes into a FIFO or device as it is (dump -f /dev/null must not replace /dev/null), through a symlink too', async () => {
    const fifo = join(dir, 'pipe')
    execFileSync('mkfifo', [fifo])
    symlinkSync(fifo, join(dir, 'link'))
    const reader = new Promise<string>((done, fail) => {
      execFile('cat', [fifo], (error, stdout) => (error ? fail(error) : done(stdout)))
    })
    await writeFileAtomic(join(dir, 'link'), 'jobs\n')
    expect(await reader).to.equal('jobs\n')
    expect(statSync(fifo).isFIFO()).to.equal(true)
    expect(readdirSync(dir).sort()).to.deep.equal(['link', 'pipe'])
  })

  // Through /proc/self/fd/1 and /dev/fd/1, never /dev/stdout itself: were the fix ever lost, a test
  // run as root must not be the thing that replaces a system path.
  for (const stdoutPath of ['/proc/self/fd/1', '/dev/fd/1']) {
    it(`writes through ${stdoutPath}, a pipe or a file the shell opened with other output around it`, () => {
      const write = `import('${DUMP_MODULE}').then((m) => m.writeFileAtomic('${stdoutPath}', 'dump\\n'))`
      const node = [process.execPath, '--import', 'tsx', '-e', write].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ')
      const piped = execFileSync('sh', ['-c', `{ echo header; ${node}; echo footer; } | cat`], {encoding: 'utf8'})
      expect(piped).to.equal('header\ndump\nfooter\n')
      const file = join(dir, 'out')
      execFileSync('sh', ['-c', `{ echo header; ${node}; echo footer; } > '${file}'`])
      expect(readFileSync(file, 'utf8')).to.equal('header\ndump\nfooter\n')
    })
  }

  it('creates and replaces a file, keeping its mode, leaving no temporary file', async () => {
    const file = join(dir, 'jobs.yaml')
    await writeFileAtomic(file, 'one\n')
    expect(readFileSync(file, 'utf8')).to.equal('one\n')
    chmodSync(file, 0o640)
    await writeFileAtomic(file, 'two\n')
    expect(readFileSync(file, 'utf8')).to.equal('two\n')
    expect(statSync(file).mode & 0o777).to.equal(0o640)
    expect(readdirSync(dir)).to.deep.equal(['jobs.yaml'])
  })

  it('replaces the target of a symlink, not the link', async () => {
    mkdirSync(join(dir, 'real'))
    writeFileSync(join(dir, 'real/jobs.yaml'), 'old\n')
    symlinkSync('real/jobs.yaml', join(dir, 'link.yaml'))
    await writeFileAtomic(join(dir, 'link.yaml'), 'new\n')
    expect(readFileSync(join(dir, 'real/jobs.yaml'), 'utf8')).to.equal('new\n')
  })

  it('keeps the old file when the new one cannot be written', async function () {
    if (process.getuid?.() === 0) this.skip() // root ignores permissions; the seam tests below cover it
    const file = join(dir, 'jobs.yaml')
    writeFileSync(file, 'old\n')
    chmodSync(file, 0o444)
    chmodSync(dir, 0o555)
    let message = ''
    await writeFileAtomic(file, 'new\n').catch((error: Error) => {
      message = error.message
    })
    expect(message).to.equal(`Unable to write '${file}': permission denied`)
    expect(readFileSync(file, 'utf8')).to.equal('old\n')
  })

  it('keeps the old file and removes the temporary one when the rename fails', async () => {
    // A directory in the way: the temporary file is written, then rename() fails.
    const target = join(dir, 'jobs.yaml')
    mkdirSync(target)
    writeFileSync(join(target, 'keep'), 'x')
    let message = ''
    await writeFileAtomic(target, 'new\n').catch((error: Error) => {
      message = error.message
    })
    expect(message).to.match(/^Unable to write '.*jobs\.yaml': E/)
    expect(readdirSync(dir)).to.deep.equal(['jobs.yaml'])
    expect(existsSync(join(target, 'keep'))).to.equal(true)
  })

  describe('a directory where no temporary file can be created', () => {
    // As root no mode bit stops anyone, so the refusal is simulated where the temporary file is made.
    const refused = (code: string) => ({
      createTemp: async () => {
        throw Object.assign(new Error(`${code}: refused`), {code})
      },
    })

    it('writes an existing file in place instead, keeping the file itself and its mode', async () => {
      const file = join(dir, 'jobs.yaml')
      writeFileSync(file, 'old content, longer than the new\n')
      chmodSync(file, 0o640)
      const inode = statSync(file).ino
      await writeFileAtomic(file, 'new\n', refused('EACCES'))
      expect(readFileSync(file, 'utf8')).to.equal('new\n')
      expect(statSync(file).ino).to.equal(inode)
      expect(statSync(file).mode & 0o777).to.equal(0o640)
      expect(readdirSync(dir)).to.deep.equal(['jobs.yaml'])
    })

    it('through a symlink too (EPERM)', async () => {
      writeFileSync(join(dir, 'real.yaml'), 'old\n')
      symlinkSync('real.yaml', join(dir, 'link.yaml'))
      await writeFileAtomic(join(dir, 'link.yaml'), 'new\n', refused('EPERM'))
      expect(readFileSync(join(dir, 'real.yaml'), 'utf8')).to.equal('new\n')
      expect(lstatSync(join(dir, 'link.yaml')).isSymbolicLink()).to.equal(true)
    })

    it('a file that does not exist yet cannot be created there: permission denied', async () => {
      const file = join(dir, 'new.yaml')
      let message = ''
      await writeFileAtomic(file, 'x', refused('EACCES')).catch((error: Error) => {
        message = error.message
      })
      expect(message).to.equal(`Unable to write '${file}': permission denied`)
      expect(existsSync(file)).to.equal(false)
    })

    it('other failures (a full disk) keep the old file', async () => {
      const file = join(dir, 'jobs.yaml')
      writeFileSync(file, 'old\n')
      let message = ''
      await writeFileAtomic(file, 'new\n', refused('ENOSPC')).catch((error: Error) => {
        message = error.message
      })
      expect(message).to.equal(`Unable to write '${file}': ENOSPC`)
      expect(readFileSync(file, 'utf8')).to.equal('old\n')
    })
  })

  it('says so when the directory does not exist', async () => {
    let message = ''
    await writeFileAtomic(join(dir, 'missing/jobs.yaml'), 'x').catch((error: Error) => {
      message = error.message
    })
    expect(message).to.equal(`Unable to write '${join(dir, 'missing/jobs.yaml')}': no such directory`)
  })
})
