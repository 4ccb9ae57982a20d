import {expect} from 'chai'

import type {NewJob} from '../../src/api/jobs-types.js'
import {renderJobs} from '../../src/jobs/render.js'

const PUBLISHED: NewJob = {name: 'web', cmd: './serve', imagename: 'python3.11', job_type: 'continuous', continuous: true, port: 8000, publish: '/'} as NewJob

function hostnames(objects: unknown[]): unknown {
  const route = objects.find((o) => (o as {kind?: string}).kind === 'HTTPRoute') as {spec: {hostnames: string[]}}
  return route.spec.hostnames
}

describe('renderJobs', () => {
  it("publishes under the project's public domain, as the jobs API of that project would", async () => {
    const identity = {tool: 'mytool', uid: 52345}
    expect(hostnames((await renderJobs([PUBLISHED], identity, {project: 'tools'})).objects)).to.deep.equal(['mytool.toolforge.org'])
    expect(hostnames((await renderJobs([PUBLISHED], identity, {project: 'toolsbeta'})).objects)).to.deep.equal(['mytool.beta.toolforge.org'])
  })
})
