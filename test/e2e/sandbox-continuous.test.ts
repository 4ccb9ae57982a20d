import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expectExit, sandboxWithoutJobs, tableCell, waitUntil} from '../helpers/sandbox-e2e.js'

// Continuous jobs through the CLI against `toolforge sandbox`: quota, following logs, restarts, crash
// loops and failing health checks, all with real local processes.

const TICKER = 'i=0; while true; do i=$((i+1)); echo "tick $i pid $$"; sleep 0.2; done'
const TICK = /^\S+ \[(e2e-ticker-[a-z0-9]{10}-[a-z0-9]{5})\] \[job\] tick (\d+) pid (\d+)$/

interface Tick {
  pod: string
  n: number
  pid: number
}

function ticks(stdout: string): Tick[] {
  return stdout.split('\n').flatMap((line) => {
    const m = TICK.exec(line)
    return m ? [{pod: m[1], n: Number(m[2]), pid: Number(m[3])}] : []
  })
}

function quotaUsed(table: string, row: string): string {
  const line = table.split('\n').find((l) => l.startsWith(row))
  if (!line) throw new Error(`no '${row}' row in:\n${table}`)
  return line.slice(row.length).trim().split(/\s+/)[0]
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('e2e sandbox: continuous jobs', function () {
  this.timeout(60_000)
  const sb = sandboxWithoutJobs()

  it('reports the real quota usage once a continuous job runs', async () => {
    const before = expectExit(await sb.tf(['jobs', 'quota']), 0).stdout
    expect(quotaUsed(before, 'Total running jobs at once (Kubernetes pods)')).to.equal('0')
    expect(quotaUsed(before, 'Continuous jobs (including web services)')).to.equal('0')

    const run = await sb.tf(['jobs', 'run', 'e2e-ticker', '--image', 'python3.11', '--continuous', '--no-filelog', '--command', TICKER])
    expectExit(run, 0)
    expect(run.stderr).to.equal('')

    const after = expectExit(await sb.tf(['jobs', 'quota']), 0).stdout
    expect(quotaUsed(after, 'Total running jobs at once (Kubernetes pods)')).to.equal('1')
    expect(quotaUsed(after, 'Continuous jobs (including web services)')).to.equal('1')
    expect(quotaUsed(after, 'Memory')).to.equal('0.5Gi')
    expect(quotaUsed(after, 'Cron jobs')).to.equal('0')
  })

  it('follows the logs of a continuous job until interrupted, then exits 0', async () => {
    const followed = await sb.tf(['jobs', 'logs', 'e2e-ticker', '--follow'], {interruptWhen: 'tick 8 pid', timeoutMs: 20_000})
    expectExit(followed, 0)
    const seen = ticks(followed.stdout)
    expect(seen.map((t) => t.n)).to.include.members([1, 8])
    // One pod, one process, lines in order.
    expect(new Set(seen.map((t) => `${t.pod} ${t.pid}`)).size).to.equal(1)
    expect(seen.map((t) => t.n)).to.deep.equal([...seen.map((t) => t.n)].sort((a, b) => a - b))
  })

  it('restarts a continuous job into a new pod and a new process', async () => {
    const [old] = ticks(expectExit(await sb.tf(['jobs', 'logs', 'e2e-ticker', '--last', '1']), 0).stdout)
    expect(old, 'a tick before the restart').to.not.equal(undefined)
    expect(processAlive(old.pid)).to.equal(true)

    expectExit(await sb.tf(['jobs', 'restart', 'e2e-ticker']), 0)
    // The old process tree is gone before the restart answers.
    expect(processAlive(old.pid)).to.equal(false)
    const fresh = await waitUntil(async () => {
      const lines = ticks((await sb.tf(['jobs', 'logs', 'e2e-ticker'])).stdout)
      return lines.find((t) => t.pod !== old.pod)
    }, 'a tick from the restarted pod')
    expect(fresh.pid).to.not.equal(old.pid)
    expect(fresh.n).to.equal(1)

    const show = expectExit(await sb.tf(['jobs', 'show', 'e2e-ticker']), 0).stdout
    expect(tableCell(show, 'Status')).to.equal('Running')
    expect(tableCell(show, 'Hints')).to.include("Pod in 'Running' phase.").and.include("State 'running'.")
  })

  it('shows the restarts of a crashing job and the failure of a health check in the status', async () => {
    const [crash, unhealthy] = await Promise.all([
      sb.tf(['jobs', 'run', 'e2e-crash', '--image', 'python3.11', '--continuous', '--command', 'echo crashing; exit 4']),
      sb.tf(['jobs', 'run', 'e2e-unhealthy', '--image', 'python3.11', '--continuous', '--no-filelog',
        '--health-check-script', 'echo e2e probe says no; exit 1', '--command', 'exec sleep 600']),
    ])
    expectExit(crash, 0)
    expectExit(unhealthy, 0)

    const [crashShow, unhealthyShow] = await waitUntil(async () => {
      const shows = await Promise.all([sb.tf(['jobs', 'show', 'e2e-crash']), sb.tf(['jobs', 'show', 'e2e-unhealthy'])])
      if (!shows.every((s) => s.exitCode === 0)) return undefined
      return /restarted \d+ times/.test(tableCell(shows[0].stdout, 'Hints')) && /probe failed/.test(tableCell(shows[1].stdout, 'Hints')) ? shows : undefined
    }, 'the crash and the failed probe to show')

    expect(tableCell(crashShow.stdout, 'Status')).to.equal('Specified command fails to run')
    const crashHints = tableCell(crashShow.stdout, 'Hints')
    expect(crashHints).to.match(/Pod has been restarted \d+ times\./)
    expect(crashHints).to.include("State 'waiting'.").and.include("Reason 'CrashLoopBackOff'.").and.include("Exit code '4'.")
    // Each run of the container appended to the same file log.
    expect(readFileSync(join(sb.toolHome, 'e2e-crash.out'), 'utf8')).to.match(/^(crashing\n)+$/)

    // The container runs but never passes its startup probe, so it is never ready.
    expect(tableCell(unhealthyShow.stdout, 'Status')).to.equal('Not running')
    expect(tableCell(unhealthyShow.stdout, 'Health check')).to.equal('script: echo e2e probe says no; exit 1')
    expect(tableCell(unhealthyShow.stdout, 'Hints')).to.include("Additional message:'Startup probe failed: e2e probe says no'.")

    const list = expectExit(await sb.tf(['jobs', 'list', '--json']), 0)
    const byName = Object.fromEntries((JSON.parse(list.stdout) as {jobs: Array<{name: string; status: {short: string; messages: string[]}}>}).jobs.map((j) => [j.name, j.status]))
    expect(byName['e2e-crash'].short).to.equal('failed')
    expect(byName['e2e-crash'].messages).to.include('exitcode 4')
    expect(byName['e2e-crash'].messages.some((m) => /^restarted \(\d+\)$/.test(m))).to.equal(true)
    expect(byName['e2e-unhealthy'].short).to.equal('pending')
    expect(byName['e2e-unhealthy'].messages).to.include('Startup probe failed: e2e probe says no')
    expect(byName['e2e-ticker'].short).to.equal('running')
  })
})
