import {expect} from 'chai'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

const IMAGES = [
  {shortname: 'bookworm', image: 'docker-registry.tools.wmflabs.org/toolforge-bookworm-sssd:latest'},
  {shortname: 'python3.11', image: 'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest'},
  {shortname: 'tool-mytool/tool-mytool:latest', image: 'tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest'},
]

// Q-JOBS-03 fixed: the intended `Container image URL` header (the v14 rendering), not `image`.
const IMAGES_TABLE = [
  '+--------------------------------+-----------------------------------------------------------------------+',
  '|           Short name           |                          Container image URL                          |',
  '+--------------------------------+-----------------------------------------------------------------------+',
  '|            bookworm            |   docker-registry.tools.wmflabs.org/toolforge-bookworm-sssd:latest    |',
  '|           python3.11           | docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest |',
  '| tool-mytool/tool-mytool:latest |        tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest        |',
  '+--------------------------------+-----------------------------------------------------------------------+',
]

describe('jobs images', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => tool.restore())

  it('prints the "pretty" table with the intended headers', async () => {
    const scope = nock(API).get(`${JOBS}/images`).reply(200, {images: IMAGES, messages: {}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'images'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal([...IMAGES_TABLE, ''].join('\n'))
    expect(scope.isDone()).to.equal(true)
  })

  it('with --json prints {images: [...]} only', async () => {
    nock(API).get(`${JOBS}/images`).reply(200, {images: IMAGES, messages: {warning: ['old images are going away']}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'images', '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal({images: IMAGES})
    expect(stderr).to.equal('WARNING: old images are going away\n')
  })

  it('prints just the header for no images', async () => {
    nock(API).get(`${JOBS}/images`).reply(200, {images: [], messages: {}})
    const {stdout, exitCode} = await run(['jobs', 'images'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      ['+------------+---------------------+', '| Short name | Container image URL |', '+------------+---------------------+', ''].join('\n'),
    )
  })

  for (const [status, exit] of [[403, 1], [500, 2], [503, 2]] as const) {
    it(`maps HTTP ${status} to exit ${exit}`, async () => {
      nock(API).get(`${JOBS}/images`).times(4).reply(status, {error: [`images broke (${status})`]})
      const {stdout, stderr, exitCode} = await run(['jobs', 'images'])
      expect(exitCode).to.equal(exit)
      expect(stdout).to.equal('')
      expect(stderr.split('\n')[0]).to.match(new RegExp(`^ERROR: .*images broke \\(${status}\\)`))
    })
  }

  it('rejects an unknown flag (usage error, exit 2)', async () => {
    const {exitCode, stderr} = await run(['jobs', 'images', '--bogus'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('Nonexistent flag: --bogus').and.include("See 'toolforge jobs images --help'.")
  })
})
