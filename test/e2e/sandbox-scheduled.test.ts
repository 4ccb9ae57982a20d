import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expectExit, sandboxWithoutJobs, tableCell, waitUntil} from '../helpers/sandbox-e2e.js'

// Scheduled jobs through the CLI against `toolforge sandbox`, on the real clock: the every-minute job is
// created first, the other tests run meanwhile, and the last one waits for the minute to come round.

const RUN_LINE = /^\S+ \[(e2e-cron-(\d+)-[a-z0-9]{5})\] \[job\] cron run$/

function runPods(stdout: string): Array<{pod: string; stamp: number}> {
  return stdout.split('\n').flatMap((line) => {
    const m = RUN_LINE.exec(line)
    return m ? [{pod: m[1], stamp: Number(m[2])}] : []
  })
}

describe('e2e sandbox: scheduled jobs', function () {
  this.timeout(60_000)
  const sb = sandboxWithoutJobs()
  let created: number

  before(async function () {
    this.timeout(60_000)
    created = Date.now()
    const [cron, filed] = await Promise.all([
      sb.tf(['jobs', 'run', 'e2e-cron', '--image', 'python3.11', '--schedule', '* * * * *', '--no-filelog', '--command', 'echo cron run']),
      sb.tf(['jobs', 'run', 'e2e-cron-file', '--image', 'bookworm', '--schedule', '@monthly', '--filelog-stdout', 'logs/cron.out', '--command', 'echo "run in $PWD"']),
    ])
    expectExit(cron, 0)
    expectExit(filed, 0)
  })

  it('lists the schedule and waits for the scheduled time', async () => {
    const [list, show] = await Promise.all([sb.tf(['jobs', 'list']), sb.tf(['jobs', 'show', 'e2e-cron-file'])])
    expect(expectExit(list, 0).stdout).to.match(/\|\s+e2e-cron\s+\|\s+schedule: \* \* \* \* \*\s+\|/)
    expect(list.stdout).to.match(/\|\s+e2e-cron-file\s+\|\s+schedule: @monthly\s+\|\s+Waiting for scheduled time\s+\|/)
    expectExit(show, 0)
    expect(tableCell(show.stdout, 'Job type')).to.equal('schedule: @monthly')
    expect(tableCell(show.stdout, 'Output log')).to.equal('/data/project/tf-test/logs/cron.out')
    expect(tableCell(show.stdout, 'Hints')).to.equal('No pods were created for this job.')
  })

  it('runs a scheduled job now when restarted, writing its file log in the sandbox home', async () => {
    expectExit(await sb.tf(['jobs', 'restart', 'e2e-cron-file']), 0)
    const out = join(sb.toolHome, 'logs', 'cron.out')
    const text = await waitUntil(async () => {
      try {
        return readFileSync(out, 'utf8') || undefined
      } catch {
        return undefined
      }
    }, `${out} to be written`)
    expect(text).to.equal(`run in ${sb.toolHome}\n`)

    const show = await waitUntil(async () => {
      const result = await sb.tf(['jobs', 'show', 'e2e-cron-file'])
      return tableCell(result.stdout, 'Hints').includes("Pod in 'Succeeded' phase.") ? result : undefined
    }, 'the manual run to be reported')
    expect(tableCell(show.stdout, 'Hints')).to.include("Reason 'Completed'.").and.include("Exit code '0'.")
    // A manual run is not a scheduled one.
    expect(tableCell(show.stdout, 'Status')).to.equal('Waiting for scheduled time')
  })

  it('fires an every-minute job on the minute', async function () {
    // Up to a minute after creation, plus the scheduler tick and a slow machine.
    this.timeout(Math.max(10_000, created + 80_000 - Date.now()))
    const [run] = await waitUntil(async () => {
      const result = await sb.tf(['jobs', 'logs', 'e2e-cron'])
      const runs = runPods(result.stdout)
      return runs.length > 0 ? runs : undefined
    }, 'the scheduled run', Math.max(5000, created + 75_000 - Date.now()), 1000)

    // CronJob-created Jobs are named after the scheduled time in minutes, which came after the job did.
    const due = run.stamp * 60_000
    expect(due).to.be.greaterThan(created - 1000).and.at.most(Date.now())
    const show = expectExit(await sb.tf(['jobs', 'show', 'e2e-cron']), 0)
    const status = tableCell(show.stdout, 'Status')
    if (status.startsWith('Last schedule time:')) {
      expect(status).to.equal(`Last schedule time: ${new Date(due).toISOString().slice(0, 19)}Z`)
    } else {
      // Still running at the time of asking.
      expect(status).to.match(/^Running for /)
    }
  })
})
