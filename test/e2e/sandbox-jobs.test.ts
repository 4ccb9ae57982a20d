import {expect} from 'chai'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {parse as parseYaml} from 'yaml'

import {expectExit, resetJobs, sandboxWithoutJobs, tableCell} from '../helpers/sandbox-e2e.js'

// One-off jobs, listing, logs, delete/flush, images and jobs.yaml round trips: the CLI as a subprocess
// over mutual TLS against `toolforge sandbox`, whose jobs really run as local processes.

const LOG_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00) \[([a-z0-9-]+)\] \[job\] (.*)$/

describe('e2e sandbox: one-off jobs, listing, logs and jobs.yaml', function () {
  this.timeout(60_000)
  const sb = sandboxWithoutJobs()

  it('waits for one-off jobs: completed exits 0, failed exits 1 with the job table, output in the sandbox home', async () => {
    const [ok, bad] = await Promise.all([
      sb.tf(['jobs', 'run', 'e2e-ok', '--image', 'python3.11', '--command', 'echo "answer $((6 * 7))"; echo to-stderr >&2', '--wait', '60']),
      sb.tf(['jobs', 'run', 'e2e-bad', '--image', 'python3.11', '--command', 'echo before failing; exit 3', '--wait', '60']),
    ])

    expectExit(ok, 0)
    expect(ok.stdout).to.equal("job 'e2e-ok' completed\n")
    expectExit(bad, 1)
    expect(bad.stderr).to.match(/^ERROR: job 'e2e-bad' failed:\n\+-/)
    expect(tableCell(bad.stderr, 'Status')).to.equal('Failed')
    expect(tableCell(bad.stderr, 'Hints')).to.include("Pod in 'Failed' phase.").and.include("Exit code '3'.")

    // Default file logs: /data/project/<tool>/<name>.{out,err} is the tool home in the sandbox.
    expect(readFileSync(join(sb.toolHome, 'e2e-ok.out'), 'utf8')).to.equal('answer 42\n')
    expect(readFileSync(join(sb.toolHome, 'e2e-ok.err'), 'utf8')).to.equal('to-stderr\n')
    expect(readFileSync(join(sb.toolHome, 'e2e-bad.out'), 'utf8')).to.equal('before failing\n')
  })

  // Finished one-off jobs are garbage-collected 30 s after they end, as on Toolforge: everything that
  // needs them runs at once.
  it('lists jobs in the normal, long, name and JSON formats, and shows one with its hints', async () => {
    const [normal, long, names, json, show] = await Promise.all([
      sb.tf(['jobs', 'list']),
      sb.tf(['jobs', 'list', '-o', 'long']),
      sb.tf(['jobs', 'list', '-o', 'name']),
      sb.tf(['jobs', 'list', '--json']),
      sb.tf(['jobs', 'show', 'e2e-ok']),
    ])
    for (const result of [normal, long, names, json, show]) expectExit(result, 0)

    expect(normal.stdout.split('\n')[1]).to.match(/^\|\s+Job name:\s+\|\s+Job type:\s+\|\s+Status:\s+\|$/)
    expect(normal.stdout).to.match(/\|\s+e2e-bad\s+\|\s+one-off\s+\|\s+Failed\s+\|/)
    expect(normal.stdout).to.match(/\|\s+e2e-ok\s+\|\s+one-off\s+\|\s+Completed\s+\|/)

    expect(long.stdout.split('\n')[1]).to.match(/^\|\s+Job name:\s+\|\s+Command:\s+\|\s+Job type:\s+\|\s+Image:\s+\|/)
    expect(long.stdout).to.match(/\|\s+e2e-ok\s+\|\s+echo "answer \$\(\(6 \* 7\)\)"; echo to-stderr >&2\s+\|\s+one-off\s+\|\s+python3\.11\s+\|/)
    expect(long.stdout).to.include('/data/project/tf-test/e2e-ok.out')

    expect(names.stdout).to.equal('e2e-bad\ne2e-ok\n')

    const {jobs} = JSON.parse(json.stdout) as {jobs: Array<Record<string, any>>}
    expect(jobs.map((j) => [j.name, j.job_type, j.status.short, j.filelog_stdout])).to.deep.equal([
      ['e2e-bad', 'one-off', 'failed', '/data/project/tf-test/e2e-bad.out'],
      ['e2e-ok', 'one-off', 'succeeded', '/data/project/tf-test/e2e-ok.out'],
    ])
    expect(jobs[0].status.messages).to.deep.equal(['exitcode 3'])

    expect(tableCell(show.stdout, 'Job name')).to.equal('e2e-ok')
    expect(tableCell(show.stdout, 'Command')).to.equal('echo "answer $((6 * 7))"; echo to-stderr >&2')
    expect(tableCell(show.stdout, 'Output log')).to.equal('/data/project/tf-test/e2e-ok.out')
    expect(tableCell(show.stdout, 'Status')).to.equal('Completed')
    expect(tableCell(show.stdout, 'Hints')).to.match(
      /^Last run at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\. Pod in 'Succeeded' phase\. State 'terminated'\. Reason 'Completed'\. Started at '[^']+'\. Finished at '[^']+'\. Exit code '0'\.$/,
    )
  })

  it('prints the logs of a job without file logs as <datetime> [<pod>] [<container>] <message>', async () => {
    const run = await sb.tf(['jobs', 'run', 'e2e-logs', '--image', 'python3.11', '--no-filelog', '--command', 'echo first line; sleep 0.2; echo second line >&2', '--wait', '60'])
    expectExit(run, 0)

    const [all, last] = await Promise.all([sb.tf(['jobs', 'logs', 'e2e-logs']), sb.tf(['jobs', 'logs', 'e2e-logs', '--last', '1'])])
    const lines = expectExit(all, 0).stdout.trimEnd().split('\n').map((line) => LOG_LINE.exec(line))
    expect(lines, all.stdout).to.have.lengthOf(2)
    expect(lines.map((m) => m?.[3])).to.deep.equal(['first line', 'second line'])
    // Both lines come from the one pod of the job.
    expect(lines[0]?.[2]).to.match(/^e2e-logs-[a-z0-9]{5}$/).and.equal(lines[1]?.[2])
    expect(expectExit(last, 0).stdout).to.match(/^\S+ \[e2e-logs-[a-z0-9]{5}\] \[job\] second line\n$/)
  })

  it('lists the images', async () => {
    const images = expectExit(await sb.tf(['jobs', 'images']), 0)
    expect(images.stdout.split('\n')[1]).to.match(/^\|\s+Short name\s+\|\s+Container image URL\s+\|$/)
    expect(images.stdout).to.match(/\|\s+python3\.11\s+\|\s+\S+\/toolforge-python311-sssd-web:latest\s+\|/)
    expect(images.stdout).to.match(/\|\s+bookworm\s+\|/)
  })

  it('round-trips jobs.yaml (dump, flush, load, dump), then deletes and flushes', async () => {
    await resetJobs(sb)
    const source = join(sb.home, 'jobs.yaml')
    writeFileSync(source, [
      '- name: e2e-daemon',
      '  command: while true; do sleep 1; done',
      '  image: python3.11',
      '  continuous: true',
      '  no-filelog: true',
      '- name: e2e-nightly',
      '  command: ./nightly.sh --all',
      '  image: bookworm',
      "  schedule: '17 3 * * *'",
      '  emails: onfailure',
      '  retry: 2',
      '  filelog-stdout: logs/nightly.out',
      '',
    ].join('\n'))
    const loaded = expectExit(await sb.tf(['jobs', 'load', source]), 0)
    expect(loaded.stdout).to.include('2 job(s) loaded successfully')

    const first = expectExit(await sb.tf(['jobs', 'dump']), 0).stdout
    const dumped = parseYaml(first) as Array<Record<string, unknown>>
    expect(dumped.map((j) => j.name)).to.deep.equal(['e2e-daemon', 'e2e-nightly'])
    expect(dumped[1]).to.include({command: './nightly.sh --all', image: 'bookworm', schedule: '17 3 * * *', emails: 'onfailure', retry: 2})

    const saved = join(sb.home, 'dumped.yaml')
    writeFileSync(saved, first)
    expectExit(await sb.tf(['jobs', 'flush', '--yes']), 0)
    expect(expectExit(await sb.tf(['jobs', 'list', '-o', 'name']), 0).stdout).to.equal('')
    const reloaded = expectExit(await sb.tf(['jobs', 'load', saved]), 0)
    expect(reloaded.stdout).to.include('Job e2e-daemon created in storage and runtime\n').and.include('2 job(s) loaded successfully')
    const [second, refused] = await Promise.all([sb.tf(['jobs', 'dump']), sb.tf(['jobs', 'logs', 'e2e-nightly'])])
    expect(expectExit(second, 0).stdout).to.equal(first)
    expectExit(refused, 1)
    expect(refused.stderr).to.equal("ERROR: Job 'e2e-nightly' has file logging enabled, which is incompatible with the logs command\n")

    expectExit(await sb.tf(['jobs', 'delete', 'e2e-daemon']), 0)
    const [gone, names] = await Promise.all([sb.tf(['jobs', 'show', 'e2e-daemon']), sb.tf(['jobs', 'list', '-o', 'name'])])
    expectExit(gone, 1)
    expect(gone.stderr).to.equal("ERROR: Job 'e2e-daemon' does not exist\n")
    expect(expectExit(names, 0).stdout).to.equal('e2e-nightly\n')

    expectExit(await sb.tf(['jobs', 'flush', '--yes']), 0)
    const [list, json] = await Promise.all([sb.tf(['jobs', 'list']), sb.tf(['jobs', 'list', '--json'])])
    expect(expectExit(list, 0).stdout).to.equal('')
    expect(JSON.parse(expectExit(json, 0).stdout)).to.deep.equal({jobs: []})
    // Deleting jobs does not delete what they wrote.
    expect(readFileSync(join(sb.toolHome, 'e2e-bad.out'), 'utf8')).to.equal('before failing\n')
  })

  it('refuses file log paths outside the tool home (exit 1), as the sandbox writes them on this host', async () => {
    const abs = join(sb.home, 'x', 'abs.out')
    const cases: Array<[string[], string]> = [
      [['e2e-abs', '-o', abs], abs],
      [['e2e-trav', '-e', '../../../trav.out'], '/data/project/tf-test/../../../trav.out'],
      [['e2e-up', '-o', '/data/project/tf-test/../../../../../tmp/x'], '/data/project/tf-test/../../../../../tmp/x'],
    ]
    const results = await Promise.all(cases.map(([args]) => sb.tf(['jobs', 'run', ...args, '--image', 'bookworm', '--command', 'echo never'])))
    for (const [i, result] of results.entries()) {
      expectExit(result, 1)
      expect(result.stderr).to.equal(`ERROR: File log path '${cases[i][1]}' is outside the tool home /data/project/tf-test: the sandbox writes file logs only there (relative paths are in the tool home)\n`)
    }
    expect(existsSync(join(sb.home, 'x'))).to.equal(false)
    expect(expectExit(await sb.tf(['jobs', 'list', '-o', 'name']), 0).stdout).to.not.match(/^e2e-(abs|trav|up)$/m)
  })
})
