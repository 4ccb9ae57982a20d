import {expect} from 'chai'
import nock from 'nock'
import {setTimeout as sleep} from 'node:timers/promises'

import {type RecordingServer, runCli, sendJson, startRecordingServer} from '../helpers/subprocess.js'
import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'
import {build, BUILDS, ID, IMAGE, REPO} from './fixtures.js'

describe('build in a real process (subprocess)', function () {
  this.timeout(60_000)
  let server: RecordingServer
  let tool: ToolEnv
  beforeEach(async () => {
    nock.enableNetConnect('127.0.0.1')
    server = await startRecordingServer((request, res) => {
      if (request.method === 'POST' && request.url === `${BUILDS}/builds`) {
        const forever = (JSON.parse(request.body.toString()) as {source_url: string}).source_url.endsWith('-forever')
        return sendJson(res, 200, {new_build: {name: forever ? 'forever' : ID}, messages: {}})
      }

      if (request.url === `${BUILDS}/builds/${ID}/logs?follow=true`) {
        res.writeHead(200, {'content-type': 'text/plain'})
        const text = Buffer.from('{"line": "[step-build] caf\u00E9 \u2615"}\n{"line": "[step-export] done"}\n')
        // Split mid-record and inside multi-byte characters, with pauses, as a proxy may deliver it.
        const inCafe = text.indexOf(Buffer.from('\u00E9')) + 1
        const inCup = text.indexOf(Buffer.from('\u2615')) + 2
        const cuts = [0, 5, inCafe, inCup, text.indexOf('\n') + 3, text.length]
        void (async () => {
          for (let i = 1; i < cuts.length; i++) {
            res.write(text.subarray(cuts[i - 1], cuts[i]))
            await sleep(30)
          }

          res.end()
        })()
        return
      }

      if (request.url === `${BUILDS}/builds/forever/logs?follow=true`) {
        res.writeHead(200, {'content-type': 'text/plain'})
        res.write('{"line": "still building"}\n')
        return
      }

      if (request.url === `${BUILDS}/builds/${ID}`) return sendJson(res, 200, {build: build(), messages: {}})
      if (request.url === `${BUILDS}/builds/latest`) return sendJson(res, 200, {build: build(), messages: {}})
      sendJson(res, 404, {error: ['Not Found']})
    })
    tool = makeToolEnv({apiUrl: server.url})
  })
  afterEach(async () => {
    tool.restore()
    await server.close()
    nock.disableNetConnect()
  })

  it('start --json streams chunked logs to stderr and prints only the final build on stdout', async () => {
    const {stdout, stderr, exitCode} = await runCli(['build', 'start', REPO, '--json'], {env: tool.env})
    expect(exitCode, stderr).to.equal(0)
    expect(JSON.parse(stdout).build.destination_image).to.equal(IMAGE)
    expect(stderr).to.include('[step-build] caf\u00E9 \u2615\n[step-export] done\n')
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([
      `POST ${BUILDS}/builds`,
      `GET ${BUILDS}/builds/${ID}/logs?follow=true`,
      `GET ${BUILDS}/builds/${ID}`,
    ])
    expect(JSON.parse(server.requests[0].body.toString())).to.deep.equal({source_url: REPO})
  })

  it('Ctrl-C ends `logs --follow` normally (exit 0), as `jobs logs --follow`', async () => {
    const {stdout, stderr, exitCode} = await runCli(['build', 'logs', '-f', 'forever'], {env: tool.env, interruptWhen: 'still building'})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('still building\n')
    expect(stderr).to.equal('Waiting for the logs... if the build just started this might take a minute\n')
  })

  it('Ctrl-C during `start` says how to find the build again and exits 130', async () => {
    const {stderr, exitCode} = await runCli(['build', 'start', `${REPO}-forever`], {env: tool.env, interruptWhen: 'still building'})
    expect(exitCode).to.equal(130)
    expect(stderr).to.include("The build goes on: follow it with 'toolforge build logs -f forever', stop it with 'toolforge build cancel forever'.")
  })

  it('never takes piped stdin as a missing argument', async () => {
    const {exitCode} = await runCli(['build', 'show'], {env: tool.env, stdin: 'other-buildpacks-pipelinerun-1\n'})
    expect(exitCode).to.equal(0)
    expect(server.requests.map((r) => r.url)).to.deep.equal([`${BUILDS}/builds/latest`])
  })
})
