import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'

import {createApiClient, loadToolContext, userAgent} from '../../src/config/context.js'
import {type ApiName, DEFAULT_API_URL, loadConfig} from '../../src/config/files.js'
import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

// Each API client reads its own /etc/toolforge/<client_name>.yaml, then common.yaml, then the user
// files (config-auth.md §2.1); /etc/toolforge is a temporary folder here.


describe('configuration: one client file per API', () => {
  let home: string
  let etc: string
  const write = (name: string, text: string) => writeFileSync(join(etc, name), text)

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'tf-client-files-'))
    etc = join(home, 'etc-toolforge')
    mkdirSync(etc)
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  it("gives each API the gateway of its own client file, never another client's", () => {
    write('jobs-cli.yaml', 'api_gateway: {url: "http://127.0.0.1:18080"}\n')
    write('envvars.yaml', 'api_gateway: {url: "https://127.0.0.1:18443"}\n')
    write('builds.yaml', 'api_gateway: {url: "https://127.0.0.1:18444"}\n')
    const config = loadConfig({}, home, etc)
    expect(config.clients.jobs.api_gateway.url).to.equal('http://127.0.0.1:18080')
    expect(config.clients.builds.api_gateway.url).to.equal('https://127.0.0.1:18444')
    expect(config.clients.envvars.api_gateway.url).to.equal('https://127.0.0.1:18443')
    expect(config.clients.jobs.sources).to.deep.equal([join(etc, 'jobs-cli.yaml')])
    // No client file counts for the gateway every API shares.
    expect(config.api_gateway.url).to.equal(DEFAULT_API_URL)
  })

  it("takes each API's section from its own chain only", () => {
    write('envvars.yaml', 'jobs: {jobs_endpoint: /wrong/v1, timeout: 5}\nenvvars: {envvars_endpoint: /envvars/v2}\n')
    write('jobs-cli.yaml', 'builds: {builds_endpoint: /wrong/v1}\njobs: {timeout: 9}\n')
    const config = loadConfig({}, home, etc)
    expect(config.jobs).to.deep.equal({jobs_endpoint: '/jobs/v1', timeout: 9})
    expect(config.builds.builds_endpoint).to.equal('/builds/v1')
    expect(config.envvars.envvars_endpoint).to.equal('/envvars/v2')
  })

  it('lets common.yaml outrank the client file and replaces sections whole (Q-CFG-01, Q-CFG-02 kept)', () => {
    write('jobs-cli.yaml', 'api_gateway: {url: "https://client.example"}\njobs: {jobs_endpoint: /client/v1, timeout: 5}\n')
    write('common.yaml', 'api_gateway: {url: "https://common.example"}\njobs: {timeout: 7}\n')
    writeFileSync(join(home, '.toolforge.yaml'), 'jobs: {timeout: 8}\n')
    const config = loadConfig({}, home, etc)
    expect(config.clients.jobs.api_gateway.url).to.equal('https://common.example')
    expect(config.jobs).to.deep.equal({jobs_endpoint: '/jobs/v1', timeout: 8})
    expect(config.clients.jobs.sources).to.deep.equal([join(etc, 'jobs-cli.yaml'), join(etc, 'common.yaml'), join(home, '.toolforge.yaml')])
    expect(config.sources).to.deep.equal([join(etc, 'jobs-cli.yaml'), join(etc, 'common.yaml'), join(home, '.toolforge.yaml')])
  })

  it('honours the legacy `build:` section of common.yaml and builds.yaml (Q-CFG-03)', () => {
    write('common.yaml', 'build: {dest_repository: toolsbeta-harbor.wmcloud.org}\n')
    expect(loadConfig({}, home, etc).builds.dest_repository).to.equal('toolsbeta-harbor.wmcloud.org')
    write('builds.yaml', 'builds: {builder_image: img.example/builder:1}\n')
    const {builds} = loadConfig({}, home, etc)
    expect(builds).to.include({dest_repository: 'toolsbeta-harbor.wmcloud.org', builder_image: 'img.example/builder:1'})
  })

  it("fails only the API whose client file is broken", () => {
    write('envvars.yaml', 'api_gateway: [unclosed\n')
    write('builds.yaml', 'api_gateway: {url: "not a url"}\n')
    const config = loadConfig({}, home, etc)
    expect(config.jobs.jobs_endpoint).to.equal('/jobs/v1')
    expect(config.clients.jobs.api_gateway.url).to.equal(DEFAULT_API_URL)
    expect(() => config.envvars).to.throw(`Unable to parse config file ${join(etc, 'envvars.yaml')}`)
    expect(() => config.clients.envvars).to.throw(`Unable to parse config file ${join(etc, 'envvars.yaml')}`)
    expect(() => config.clients.builds).to.throw("Invalid API gateway URL 'not a url'")
  })

  it('lets the environment outrank every file for every API', () => {
    write('jobs-cli.yaml', 'api_gateway: {url: "https://client.example", ca_file: /client.pem}\n')
    const config = loadConfig({TOOL_TOOLFORGE_API_URL: 'https://env.example', TOOLFORGE_CA_FILE: '/env.pem'}, home, etc)
    expect(config.clients.jobs.api_gateway).to.deep.equal({url: 'https://env.example', ca_file: '/env.pem'})
  })

  describe('API clients', () => {
    let tool: ToolEnv
    beforeEach(() => {
      tool = makeToolEnv()
    })
    afterEach(() => tool.restore())

    const context = () => {
      const env = {...tool.env}
      delete (env as Record<string, string | undefined>).TOOL_TOOLFORGE_API_URL
      return loadToolContext(env, etc)
    }

    it('sends each API to the gateway of its own client file', () => {
      write('jobs-cli.yaml', 'api_gateway: {url: "http://127.0.0.1:18080"}\n')
      write('envvars.yaml', 'api_gateway: {url: "https://127.0.0.1:18443"}\n')
      const ctx = context()
      expect(createApiClient(ctx, 'jobs', '1.2.3').options.baseUrl).to.equal('http://127.0.0.1:18080/jobs/v1/tool/mytool')
      expect(createApiClient(ctx, 'envvars', '1.2.3').options.baseUrl).to.equal('https://127.0.0.1:18443/envvars/v1/tool/mytool')
      expect(createApiClient(ctx, 'builds', '1.2.3').options.baseUrl).to.equal(`${DEFAULT_API_URL}/builds/v1/tool/mytool`)
    })

    it("reads the CA its own client file names, and says so under --debug", () => {
      const pem = join(home, 'jobs-ca.pem')
      writeFileSync(pem, 'jobs CA')
      write('jobs-cli.yaml', `api_gateway: {url: "https://127.0.0.1:18080", ca_file: ${pem}}\n`)
      const ctx = context()
      expect(ctx.ca).to.equal(undefined)
      const lines: string[] = []
      const jobs = createApiClient(ctx, 'jobs', '1.2.3', {debug: (line) => lines.push(line)})
      expect(jobs.options.ca?.toString()).to.equal('jobs CA')
      expect(lines).to.deep.equal([`jobs API: server certificate verified against ${pem} (api_gateway.ca_file in jobs-cli.yaml)`])
      expect(createApiClient(ctx, 'builds', '1.2.3').options.ca).to.equal(undefined)
    })

    it('names the upstream client in the User-Agent of each API (config-auth.md §5)', () => {
      const ctx = context()
      const agent = (api: ApiName) => createApiClient(ctx, api, '1.2.3').options.userAgent
      expect(agent('jobs')).to.equal(`tool-mytool@${hostname()}:jobs-cli toolforge/1.2.3`)
      expect(agent('builds')).to.equal(`tool-mytool@${hostname()}:builds-cli toolforge/1.2.3`)
      expect(agent('envvars')).to.equal(`tool-mytool@${hostname()}:envvars-cli toolforge/1.2.3`)
      // The webservice command's Kubernetes client names no client: upstream sends a bare `webservice`.
      expect(userAgent('1.2.3', 'mytool')).to.equal('webservice toolforge/1.2.3')
    })
  })
})
