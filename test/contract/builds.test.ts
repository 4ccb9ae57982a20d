import {expect} from 'chai'

import type {PrismScript, ScriptedAnswer} from '../helpers/prism.js'
import {bodies, calls, type Contract, openContract, query, replay} from './replay.js'

// `toolforge build …` against builds-api.yaml 2.4.0. The spec has no examples, so Prism answers with
// placeholders ("string", the first enum value): the example build is `string`, BUILD_PENDING. The log
// stream is always scripted: Prism cannot render the BuildLog object schema as text/plain (it answers
// 500 NO_COMPLEX_OBJECT_TEXT after validating the request).

const BASE = '/v1/tool/mytool'
const REPO = 'https://gitlab.wikimedia.org/toolforge-repos/my-tool'
const ID = 'mytool-buildpacks-pipelinerun-x7k2p'

const logLines = (): ScriptedAnswer => ({status: 200, contentType: 'text/plain', body: '{"line": "[step-build] Build succeeded"}\n'})
const isLogs = (url: string) => url.split('?')[0].endsWith('/logs')

describe('contract: build commands against builds-api.yaml (Prism)', function () {
  this.timeout(60_000)
  let c: Contract

  before(async () => {
    c = await openContract('builds-api.yaml')
  })
  after(async () => c?.close())

  describe('build start', () => {
    it('--detach with only the repository', async () => {
      const {result, exchanges} = await replay(c, ['build', 'start', REPO, '--detach'])
      expect(calls(exchanges)).to.deep.equal([`POST ${BASE}/builds`])
      expect(bodies(exchanges, 'POST', '/builds')[0]).to.deep.equal({source_url: REPO})
      expect(result.stdout).to.contain("build name is 'string'")
    })

    it('--detach with --ref, -i, -e and -L', async () => {
      const args = ['build', 'start', REPO, '--ref', 'v2', '-i', 'web', '-e', 'PYTHON_VERSION=3.12', '-e', 'NODE_ENV=prod=1', '-L', '--detach', '--json']
      const {result, exchanges} = await replay(c, args)
      expect(bodies(exchanges, 'POST', '/builds')[0]).to.deep.equal({
        source_url: REPO,
        ref: 'v2',
        image_name: 'web',
        envvars: {PYTHON_VERSION: '3.12', NODE_ENV: 'prod=1'},
        use_latest_versions: true,
      })
      expect((JSON.parse(result.stdout) as {new_build: {name: string}}).new_build.name).to.equal('string')
    })

    it('--use-deprecated-versions', async () => {
      const {exchanges} = await replay(c, ['build', 'start', REPO, '--use-deprecated-versions', '--detach'])
      expect(bodies(exchanges, 'POST', '/builds')[0]).to.deep.equal({source_url: REPO, use_deprecated_versions: true})
    })

    it('following the logs until the build succeeded', async () => {
      const script: PrismScript = {
        respond(r) {
          if (isLogs(r.url)) return logLines()
          if (r.method === 'GET') return {status: 200, body: {build: {build_id: 'string', status: 'BUILD_SUCCESS', destination_image: 'tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest'}, messages: {}}}
          return undefined
        },
      }
      const {result, exchanges} = await replay(c, ['build', 'start', REPO], {script})
      expect(calls(exchanges)).to.deep.equal([`POST ${BASE}/builds`, `GET ${BASE}/builds/string/logs`, `GET ${BASE}/builds/string`])
      expect(query(exchanges[1])).to.deep.equal({follow: 'true'})
      expect(result.stdout).to.contain('[step-build] Build succeeded')
    })
  })

  it('build list', async () => {
    const {result, exchanges} = await replay(c, ['build', 'list'])
    expect(calls(exchanges)).to.deep.equal([`GET ${BASE}/builds`])
    expect(result.stdout).to.match(/^string +pending /m)
  })

  it('build show <id>', async () => {
    const {exchanges} = await replay(c, ['build', 'show', ID])
    expect(calls(exchanges)).to.deep.equal([`GET ${BASE}/builds/${ID}`])
  })

  it('build show (latest)', async () => {
    const {result, exchanges} = await replay(c, ['build', 'show', '--json'])
    expect(calls(exchanges)).to.deep.equal([`GET ${BASE}/builds/latest`])
    expect((JSON.parse(result.stdout) as {build: {build_id: string}}).build.build_id).to.equal('string')
  })

  it('build logs <id>', async () => {
    const {result, exchanges} = await replay(c, ['build', 'logs', ID], {script: {respond: (r) => (isLogs(r.url) ? logLines() : undefined)}})
    expect(calls(exchanges)).to.deep.equal([`GET ${BASE}/builds/${ID}/logs`])
    expect(query(exchanges[0])).to.deep.equal({follow: 'false'})
    expect(result.stdout).to.contain('[step-build] Build succeeded')
  })

  it('build logs (latest)', async () => {
    const {exchanges} = await replay(c, ['build', 'logs'], {script: {respond: (r) => (isLogs(r.url) ? logLines() : undefined)}})
    expect(calls(exchanges)).to.deep.equal([`GET ${BASE}/builds/latest`, `GET ${BASE}/builds/string/logs`])
  })

  it('build cancel --yes', async () => {
    const {exchanges} = await replay(c, ['build', 'cancel', ID, '--yes'])
    expect(calls(exchanges)).to.deep.equal([`PUT ${BASE}/builds/${ID}/cancel`])
    expect(exchanges[0].body).to.equal('')
  })

  it('build delete --yes', async () => {
    const {exchanges} = await replay(c, ['build', 'delete', ID, '--yes'])
    expect(calls(exchanges)).to.deep.equal([`DELETE ${BASE}/builds/${ID}`])
  })

  it('build quota', async () => {
    const {exchanges} = await replay(c, ['build', 'quota'])
    expect(calls(exchanges)).to.deep.equal([`GET ${BASE}/quotas`])
  })

  it('build clean --yes', async () => {
    const {exchanges} = await replay(c, ['build', 'clean', '--yes'])
    expect(calls(exchanges)).to.deep.equal([`POST ${BASE}/clean`])
    expect(exchanges[0].body).to.equal('')
  })
})
