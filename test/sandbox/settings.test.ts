import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {resetSandbox, SandboxError, sandboxEnv, type SandboxInfo, startSandbox} from '../../src/sandbox/control.js'
import {setQuotaOverrides} from '../../src/sandbox/quota.js'
import {readSettings, resolveSettings, rootWarning, toolNameProblem} from '../../src/sandbox/settings.js'
import {allowLoopback, cleanup, clientFor, rejection, tempDir} from './helpers.js'

describe('sandbox settings: tool, uid and quota belong to the data dir', () => {
  beforeEach(allowLoopback)
  afterEach(() => setQuotaOverrides({}))

  it('accepts only Toolforge tool names', () => {
    for (const good of ['tf-test', 'a', '0day', 'x'.repeat(53), 'my-tool-2']) expect(toolNameProblem(good), good).to.equal(undefined)
    for (const bad of ['../../esc', '', 'UPPER', '-lead', 'trail-', 'under_score', 'dot.ted', 'x'.repeat(54), 'sp ace']) {
      expect(toolNameProblem(bad), bad).to.equal(`'${bad}' is not a Toolforge tool name (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 53 characters)`)
    }
  })

  it('reuses what was stored, refuses another tool or uid, merges quota', () => {
    expect(resolveSettings(undefined, {})).to.deep.equal({tool: 'tf-test', uid: 50001, quota: {}})
    const stored = {tool: 'bot', uid: 52000, quota: {pods: '20'}}
    expect(resolveSettings(stored, {})).to.deep.equal(stored)
    expect(resolveSettings(stored, {tool: 'bot', uid: 52000, quota: {'count/jobs.batch': '30', pods: '25'}}))
      .to.deep.equal({tool: 'bot', uid: 52000, quota: {pods: '25', 'count/jobs.batch': '30'}})
    expect(() => resolveSettings(stored, {tool: 'other'})).to.throw(SandboxError,
      "This sandbox's state belongs to tool 'bot', which it was first started with; start it without --tool, or run `toolforge sandbox reset` first to start over as 'other'")
    expect(() => resolveSettings(stored, {uid: 50001})).to.throw(SandboxError,
      "This sandbox's tool 'bot' was set up with uid 52000; start it without --uid, or run `toolforge sandbox reset` first to start over with uid 50001")
    expect(() => resolveSettings(undefined, {tool: '../../esc'})).to.throw(SandboxError, 'is not a Toolforge tool name')
  })

  it('warns root that jobs run as root', () => {
    expect(rootWarning(1000, 50001)).to.equal(undefined)
    expect(rootWarning(undefined, 50001)).to.equal(undefined)
    expect(rootWarning(0, 50001)).to.equal(
      "running as root: the sandbox's jobs run as the user who starts it, so here as root (uid 0), not as the tool's uid 50001, which only the pod policy checks. Start the sandbox as an ordinary user.")
  })

  it('remembers --tool, --uid and --quota across starts of the same data dir, until a reset', async function () {
    this.timeout(30_000)
    const dataDir = tempDir()
    const started: SandboxInfo[] = []
    const start = async (opts: {tool?: string; uid?: number; quota?: string[]}): Promise<SandboxInfo> => {
      const info = await startSandbox({dataDir, port: 0, foreground: true, ...opts})
      started.push(info)
      return info
    }
    const stop = async (): Promise<void> => {
      await started.pop()?.server?.close()
    }
    const call = (info: SandboxInfo, method: string, path: string, body?: unknown) => {
      const certs = join(dataDir, 'toolskube')
      return clientFor(info.port, {cert: readFileSync(join(certs, 'client.crt')), key: readFileSync(join(certs, 'client.key'))}, readFileSync(info.caFile))
        .call(method, `/jobs/v1/tool/${info.tool}/${path}`, body)
    }
    const limit = async (info: SandboxInfo, category: string, item: string): Promise<string> => {
      const {body} = await call(info, 'GET', 'quotas')
      return body.quota.categories.find((c: any) => c.name === category).items.find((i: any) => i.name === item).limit
    }
    try {
      let info = await start({tool: 'my-bot', uid: 52345, quota: ['count/cronjobs.batch=128']})
      expect(info).to.include({tool: 'my-bot', uid: 52345})
      await stop()
      expect(readSettings(dataDir)).to.deep.equal({tool: 'my-bot', uid: 52345, quota: {'count/cronjobs.batch': '128'}})

      setQuotaOverrides({})
      info = await start({})
      expect(info).to.include({tool: 'my-bot', uid: 52345, toolHome: join(dataDir, 'home', 'my-bot')})
      expect(sandboxEnv({dataDir}).TOOLFORGE_TOOL_HOME).to.equal(join(dataDir, 'home', 'my-bot'))
      expect(await limit(info, 'Job definitions', 'Cron jobs')).to.equal('128')
      // The tool's policy and its jobs agree on the uid, so jobs are admitted.
      expect((await call(info, 'POST', 'jobs/', {name: 'one', cmd: 'true', imagename: 'bookworm', filelog: false})).status).to.equal(201)
      await stop()

      const otherTool = await rejection(start({tool: 'tf-test'}))
      expect(otherTool).to.be.instanceOf(SandboxError)
      expect(otherTool.message).to.include("belongs to tool 'my-bot'")
      expect((await rejection(start({uid: 50001}))).message).to.include("was set up with uid 52345")

      info = await start({quota: ['count/jobs.batch=20']})
      expect(await limit(info, 'Job definitions', 'Cron jobs')).to.equal('128')
      expect(await limit(info, 'Running jobs', 'Running one-off and cron jobs')).to.equal('20')
      await stop()
      expect(readSettings(dataDir)?.quota).to.deep.equal({'count/cronjobs.batch': '128', 'count/jobs.batch': '20'})

      await resetSandbox({dataDir})
      expect(existsSync(join(dataDir, 'sandbox.json'))).to.equal(false)
      info = await start({})
      expect(info).to.include({tool: 'tf-test', uid: 50001})
    } finally {
      while (started.length > 0) await stop()
      cleanup(dataDir)
    }
  })
})
