import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {join} from 'node:path'

import {Store} from '../../src/sandbox/store.js'
import {allowLoopback, cleanup, JOBS, startHarness, tempDir, waitFor} from './helpers.js'

describe('sandbox persistence and admission', () => {
  beforeEach(allowLoopback)

  it('keeps jobs, envvars and logs across a restart and restarts continuous jobs', async () => {
    const h = await startHarness()
    try {
      await h.client.call('POST', `${JOBS}/jobs/`, {name: 'bot', cmd: 'echo started; sleep 60', imagename: 'bookworm', continuous: true, filelog: false})
      await h.client.call('POST', `${JOBS}/jobs/`, {name: 'nightly', cmd: './n.sh', imagename: 'bookworm', schedule: '@daily', emails: 'onfailure'})
      await h.client.call('POST', '/envvars/v1/tool/tf-test/envvars', {name: 'KEEP_ME', value: 'yes'})
      await waitFor(async () => (await h.client.call('GET', `${JOBS}/jobs/bot/logs`)).status === 200 || undefined)

      await h.restart()
      const list = (await h.client.call('GET', `${JOBS}/jobs/?include_unset=false`)).body.jobs
      expect(list.map((j: {name: string}) => j.name)).to.deep.equal(['bot', 'nightly'])
      expect(list[1]).to.deep.equal({name: 'nightly', cmd: './n.sh', imagename: 'bookworm', schedule: '@daily', emails: 'onfailure', job_type: 'scheduled'})
      expect((await h.client.call('GET', '/envvars/v1/tool/tf-test/envvars/KEEP_ME')).body.envvar).to.deep.equal({name: 'KEEP_ME', value: 'yes'})
      await waitFor(async () => (await h.client.call('GET', `${JOBS}/jobs/bot`)).body.job.status_short === 'Running' || undefined)
      await waitFor(async () => (await h.client.call('GET', `${JOBS}/jobs/bot/logs`)).text.trim().split('\n').length === 2 || undefined)
    } finally {
      await h.close()
      cleanup(h.dataDir)
    }
  })

  it('refuses jobs the namespace policy rejects (uid changed since the tool was set up)', async () => {
    const h = await startHarness({uid: 50001})
    try {
      await h.restart({uid: 50002})
      const res = await h.client.call('POST', `${JOBS}/jobs/`, {name: 'x', cmd: 'true', imagename: 'bookworm'})
      expect(res.status).to.equal(403)
      expect(res.body.error).to.have.length(1)
      expect(res.body.error[0]).to.match(/^validation error: .*\. rule toolforge-validate-pod-policy failed at path \/spec\/template\/spec\/securityContext\/runAsUser\//m)
      expect((await h.client.call('GET', `${JOBS}/jobs/`)).body.jobs).to.deep.equal([])
    } finally {
      await h.close()
      cleanup(h.dataDir)
    }
  })

  it('garbage-collects finished one-off jobs after the TTL but keeps their logs', async () => {
    const h = await startHarness({ttlMs: 300})
    try {
      await h.client.call('POST', `${JOBS}/jobs/`, {name: 'brief', cmd: 'echo bye', imagename: 'bookworm', filelog: false})
      await waitFor(async () => (await h.client.call('GET', `${JOBS}/jobs/brief`)).status === 404 || undefined)
      expect((await h.client.call('GET', `${JOBS}/jobs/`)).body.jobs).to.deep.equal([])
      expect(JSON.parse((await h.client.call('GET', `${JOBS}/jobs/brief/logs`)).text).message).to.equal('bye')
    } finally {
      await h.close()
      cleanup(h.dataDir)
    }
  })

  it('holds pods back while the ResourceQuota is exhausted and starts them when it frees up', async () => {
    const h = await startHarness()
    try {
      // requests.cpu is 2 cores: the third 1-core job has to wait.
      for (const n of [1, 2, 3]) {
        await h.client.call('POST', `${JOBS}/jobs/`, {name: `big${n}`, cmd: 'sleep 30', imagename: 'bookworm', cpu: '1'})
      }
      const blocked = (await h.client.call('GET', `${JOBS}/jobs/big3`)).body.job
      expect(blocked.status_short).to.equal('Unable to start, out of quota for cpu')
      expect(blocked.status).to.deep.include({short: 'pending', messages: ['Unable to start, out of quota for cpu']})
      await h.client.call('DELETE', `${JOBS}/jobs/big1`)
      await waitFor(async () => ((await h.client.call('GET', `${JOBS}/jobs/big3`)).body.job.status_short as string).startsWith('Running for') || undefined)
    } finally {
      await h.close()
      cleanup(h.dataDir)
    }
  })

  it('is not corrupted by kill -9 in the middle of writes', async function () {
    this.timeout(20_000)
    const dir = tempDir()
    const db = join(dir, 'state.sqlite')
    const script = `
      import {Store} from './src/sandbox/store.ts'
      const s = new Store(${JSON.stringify(db)})
      let i = 0
      for (;;) {
        s.appendLog('tf-test', 'j', {pod: 'p', container: 'job', datetime: 'now', message: 'x'.repeat(200) + i})
        s.putJob({tool: 'tf-test', name: 'j' + (i % 50), jobType: 'continuous', spec: {i}, resolved: {i}, created: 'c', updated: 'u',
          restartedAt: null, lastSchedule: null, servicePort: null, runtime: {resources: {requestsCpu: 0, requestsMemory: 0, limitsCpu: 0, limitsMemory: 0}}})
        if (++i === 200) process.stdout.write('busy\\n')
      }`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit']})
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
    await new Promise((r) => setTimeout(r, 300))
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    const store = new Store(db)
    try {
      expect(store.db.pragma('integrity_check', {simple: true})).to.equal('ok')
      expect(store.listJobs('tf-test').length).to.be.greaterThan(0)
      expect(store.tailLogs('tf-test', 'j', 1)).to.have.length(1)
    } finally {
      store.close()
      cleanup(dir)
    }
  })
})
