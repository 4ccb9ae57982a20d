import {expect} from 'chai'

import type {Build, BuildsClient} from '../../src/api/builds.js'
import {failureMessage, successLines, waitForFinalStatus} from '../../src/build/wait.js'

function fakeClient(statuses: Build['status'][]): {client: BuildsClient; calls: () => number} {
  let calls = 0
  const client = {
    async get() {
      const status = statuses[Math.min(calls, statuses.length - 1)]
      calls++
      return {build: {build_id: 'b', status, message: 'm'}, messages: {}}
    },
  } as unknown as BuildsClient
  return {client, calls: () => calls}
}

describe('waiting for a build to finish', () => {
  it('polls while the status is not final', async () => {
    const {client, calls} = fakeClient(['BUILD_RUNNING', 'BUILD_RUNNING', 'BUILD_SUCCESS'])
    const sleeps: number[] = []
    const outcome = await waitForFinalStatus(client, 'b', {intervalMs: 5, timeoutMs: 1000, sleep: async (ms) => sleeps.push(ms)})
    expect(outcome.finished).to.equal(true)
    expect(outcome.build.status).to.equal('BUILD_SUCCESS')
    expect(calls()).to.equal(3)
    expect(sleeps).to.deep.equal([5, 5])
  })

  it('gives up at the deadline and says the build has not finished', async () => {
    const {client} = fakeClient(['BUILD_RUNNING'])
    const outcome = await waitForFinalStatus(client, 'b', {intervalMs: 10, timeoutMs: 25, sleep: async () => {}})
    expect(outcome.finished).to.equal(false)
    expect(failureMessage(outcome.build, 'b', false)).to.equal("Build 'b' has not finished yet (status: running); check it later with `toolforge build show b`")
  })

  it('describes each outcome', () => {
    expect(failureMessage({status: 'BUILD_SUCCESS'}, 'b', true)).to.equal(undefined)
    expect(failureMessage({status: 'BUILD_FAILURE', message: 'x'}, 'b', true)).to.equal("Build 'b' failed: x")
    expect(failureMessage({status: 'BUILD_UNKNOWN'}, 'b', true)).to.equal("Build 'b' ended with status unknown")
  })

  it('tells how to run the image', () => {
    expect(successLines({destination_image: 'h/tool-t/web:latest@sha256:1', parameters: {image_name: 'web'}}, 'b', 't')).to.deep.equal([
      "Build 'b' succeeded.",
      'Image: h/tool-t/web:latest@sha256:1',
      "Run it with: toolforge jobs run --image tool-t/web:latest --command '<command>' <job-name>",
    ])
  })
})
