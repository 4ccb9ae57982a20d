import {expect} from 'chai'
import nock from 'nock'

import {errorBodyMessages, extractErrorMessage} from '../../src/api/http-errors.js'
import {run} from '../helpers/run.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

// The info and warning entries of an error body are printed as on success (config-auth.md §7).

describe('messages that come with an HTTP error', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => tool.restore())

  it('prints the envelope of a 400: info on stdout, warnings on stderr, then the error', async () => {
    nock(API)
      .get(`${JOBS}/jobs/myjob`)
      .query(true)
      .reply(400, {error: ['Job myjob is broken'], messages: {warning: ['the image is deprecated'], info: ['see the docs']}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'show', 'myjob'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('see the docs\n')
    expect(stderr).to.equal('WARNING: the image is deprecated\nERROR: Job myjob is broken\n')
  })

  it('prints top-level warning and info entries, as jobs-api puts `error` there', async () => {
    nock(API).get(`${JOBS}/jobs/myjob`).query(true).reply(404, {error: ['Job myjob does not exist'], warning: ['w1'], info: ['i1']})
    const {stdout, stderr, exitCode} = await run(['jobs', 'show', 'myjob'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('i1\n')
    expect(stderr).to.equal('WARNING: w1\nERROR: Job myjob does not exist\n')
  })

  it('puts them on stderr under --json, like a success', async () => {
    nock(API).get(`${JOBS}/jobs/myjob`).query(true).reply(400, {error: ['nope'], messages: {info: ['note']}})
    const {stdout, stderr} = await run(['jobs', 'show', 'myjob', '--json'])
    expect(stdout).to.equal('')
    expect(stderr).to.include('note\n')
  })

  it('reads either place, and nothing from bodies that are not JSON objects', () => {
    expect(errorBodyMessages('{"error": ["x"], "messages": {"warning": ["a"]}, "warning": ["b"]}')).to.deep.equal({info: [], warning: ['a', 'b']})
    expect(errorBodyMessages('{"error": ["x"], "messages": {"error": ["y"]}}')).to.equal(undefined)
    expect(errorBodyMessages('<html>Bad Gateway</html>')).to.equal(undefined)
    expect(errorBodyMessages('"Bad parameters passed: x"')).to.equal(undefined)
  })

  it('takes the error text from the envelope when there is no top-level error', () => {
    expect(extractErrorMessage('{"messages": {"error": ["e1", "e2"]}}')).to.equal('e1\ne2')
    expect(extractErrorMessage('{"error": ["top"], "messages": {"error": ["inner"]}}')).to.equal('top')
  })
})
