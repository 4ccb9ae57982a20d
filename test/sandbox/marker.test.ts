import {expect} from 'chai'

import {inSandbox, sandboxStartHint} from '../../src/sandbox/marker.js'

describe('sandbox marker variables', () => {
  it('tell a command it talks to a local sandbox, and how to start that one', () => {
    expect(inSandbox({})).to.equal(false)
    expect(inSandbox({TOOLFORGE_SANDBOX: '/tmp/sb'})).to.equal(true)
    expect(sandboxStartHint('https://127.0.0.1:30003/jobs/v1/tool/tf-test/jobs', {})).to.equal(undefined)
    expect(sandboxStartHint('https://127.0.0.1:30003/jobs/v1/tool/tf-test/jobs', {TOOLFORGE_SANDBOX: '/tmp/sb'}))
      .to.equal('Is the sandbox running? Start it with: toolforge sandbox start --data-dir /tmp/sb')
    expect(sandboxStartHint('https://127.0.0.1:30010/envvars/v1/tool/tf-test/envvars', {TOOLFORGE_SANDBOX: "/tmp/my sb's"}))
      .to.equal(`Is the sandbox running? Start it with: toolforge sandbox start --data-dir '/tmp/my sb'\\''s' --port 30010`)
    expect(sandboxStartHint(undefined, {TOOLFORGE_SANDBOX: '/tmp/sb'})).to.equal('Is the sandbox running? Start it with: toolforge sandbox start --data-dir /tmp/sb')
  })
})
