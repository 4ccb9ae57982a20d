import {expect} from 'chai'
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {BECOME_HINT, loadToolContext} from '../../src/config/context.js'
import {DEFAULT_API_URL, loadConfig} from '../../src/config/files.js'
import {kubeconfigPath, loadKubeconfig} from '../../src/config/kubeconfig.js'
import {FIXTURES} from '../helpers/tool-env.js'

const CERT = readFileSync(join(FIXTURES, 'certs/client.crt'))
const KEY = readFileSync(join(FIXTURES, 'certs/client.key'))

function kubeconfig(user: string, opts: {namespace?: string; context?: string} = {}): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${opts.context ?? 'toolforge'}`,
    'clusters:',
    '- name: toolforge',
    '  cluster: {server: "https://k8s.example.test:6443", certificate-authority-data: "' + CERT.toString('base64') + '"}',
    'contexts:',
    '- name: toolforge',
    `  context: {cluster: toolforge, namespace: ${opts.namespace ?? 'tool-mytool'}, user: tf-mytool}`,
    'users:',
    '- name: tf-mytool',
    `  user: ${user}`,
    '',
  ].join('\n')
}

describe('configuration discovery', () => {
  let home: string
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'tf-config-'))
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  describe('config files', () => {
    it('uses the upstream defaults when no file exists', () => {
      const config = loadConfig({}, home)
      expect(config.api_gateway).to.deep.equal({url: DEFAULT_API_URL, ca_file: undefined})
      expect(config.jobs).to.deep.equal({jobs_endpoint: '/jobs/v1', timeout: 60})
      expect(config.envvars.envvars_endpoint).to.equal('/envvars/v1')
      expect(config.builds.builds_endpoint).to.equal('/builds/v1')
    })

    it('merges files in upstream order, later files replacing whole sections (Q-CFG-01 kept)', () => {
      writeFileSync(join(home, '.toolforge.yaml'), 'api_gateway: {url: "https://first.example:1"}\njobs: {timeout: 5, jobs_endpoint: /old}\n')
      mkdirSync(join(home, '.config'))
      writeFileSync(join(home, '.config', 'toolforge.yaml'), 'jobs: {timeout: 7}\n')
      const xdg = join(home, 'xdg')
      mkdirSync(xdg)
      writeFileSync(join(xdg, 'toolforge.yaml'), 'api_gateway: {url: "http://127.0.0.1:8000"}\n')
      const config = loadConfig({XDG_CONFIG_HOME: xdg}, home)
      expect(config.api_gateway.url).to.equal('http://127.0.0.1:8000')
      // The later `jobs:` section replaced the earlier one entirely: jobs_endpoint is back to its default.
      expect(config.jobs).to.deep.equal({jobs_endpoint: '/jobs/v1', timeout: 7})
      expect(config.sources).to.deep.equal([join(home, '.toolforge.yaml'), join(home, '.config', 'toolforge.yaml'), join(xdg, 'toolforge.yaml')])
    })

    it('lets TOOL_TOOLFORGE_API_URL override the files, and reads the CA from config or environment', () => {
      writeFileSync(join(home, '.toolforge.yaml'), 'api_gateway: {url: "https://from-file.example", ca_file: /etc/ca.pem}\n')
      expect(loadConfig({TOOL_TOOLFORGE_API_URL: 'https://from-env.example:30003'}, home).api_gateway).to.deep.equal({
        url: 'https://from-env.example:30003',
        ca_file: '/etc/ca.pem',
      })
      expect(loadConfig({TOOLFORGE_CA_FILE: '/tmp/other.pem'}, home).api_gateway.ca_file).to.equal('/tmp/other.pem')
    })

    it('honours the legacy `build:` section bastions write (Q-CFG-03 fixed), `builds:` winning', () => {
      writeFileSync(join(home, '.toolforge.yaml'), 'build: {dest_repository: legacy-harbor.example, builds_endpoint: /builds/v9}\nbuilds: {builds_endpoint: /builds/v1}\n')
      const {builds} = loadConfig({}, home)
      expect(builds.dest_repository).to.equal('legacy-harbor.example')
      expect(builds.builds_endpoint).to.equal('/builds/v1')
    })

    it('names a file that is not valid YAML', () => {
      writeFileSync(join(home, '.toolforge.yaml'), 'api_gateway: [unclosed\n')
      expect(() => loadConfig({}, home)).to.throw(join(home, '.toolforge.yaml'))
    })
  })

  describe('kubeconfig', () => {
    it('is $KUBECONFIG (first entry) or ~/.kube/config', () => {
      expect(kubeconfigPath({}, home)).to.equal(join(home, '.kube', 'config'))
      expect(kubeconfigPath({KUBECONFIG: '/a/config:/b/config'}, home)).to.equal('/a/config')
    })

    it('resolves relative certificate paths against the kubeconfig folder, as maintain-kubeusers writes them', () => {
      mkdirSync(join(home, '.kube'))
      mkdirSync(join(home, '.toolskube'))
      copyFileSync(join(FIXTURES, 'certs/client.crt'), join(home, '.toolskube/client.crt'))
      copyFileSync(join(FIXTURES, 'certs/client.key'), join(home, '.toolskube/client.key'))
      writeFileSync(join(home, '.kube/config'), kubeconfig('{client-certificate: ../.toolskube/client.crt, client-key: ../.toolskube/client.key}'))
      const kube = loadKubeconfig({}, home)
      expect(kube).to.include({tool: 'mytool', namespace: 'tool-mytool', server: 'https://k8s.example.test:6443', keyFile: join(home, '.toolskube/client.key')})
      expect(kube.cert?.equals(CERT)).to.equal(true)
      expect(kube.key?.equals(KEY)).to.equal(true)
      expect(kube.ca?.equals(CERT)).to.equal(true)
    })

    it('accepts inline base64 (and raw PEM) certificate data', () => {
      const path = join(home, 'inline')
      writeFileSync(path, kubeconfig(`{client-certificate-data: "${CERT.toString('base64')}", client-key-data: ${JSON.stringify(KEY.toString())}}`))
      const kube = loadKubeconfig({KUBECONFIG: path}, home)
      expect(kube.cert?.equals(CERT)).to.equal(true)
      expect(kube.key?.toString()).to.equal(KEY.toString())
    })

    it('accepts a token instead of a certificate', () => {
      const path = join(home, 'token')
      writeFileSync(path, kubeconfig('{token: s3cr3t-token}'))
      expect(loadKubeconfig({KUBECONFIG: path}, home)).to.include({token: 's3cr3t-token', tool: 'mytool'})
    })

    it('refuses credentials that are neither a token nor a certificate and key, with the upstream message', () => {
      const path = join(home, 'none')
      writeFileSync(path, kubeconfig('{client-certificate-data: "' + CERT.toString('base64') + '"}'))
      expect(() => loadKubeconfig({KUBECONFIG: path}, home)).to.throw(
        'Either token or both client-cert and client-key (containing both paths, or cert contents) must be provided in the kubeconfig.',
      )
    })

    it('reads YAML merge keys (`<<: *anchor`), as kubectl and PyYAML do', () => {
      const path = join(home, 'merged')
      writeFileSync(path, [
        'apiVersion: v1',
        'current-context: toolforge',
        'x-cluster: &cluster {server: "https://k8s.example.test:6443", certificate-authority-data: "' + CERT.toString('base64') + '"}',
        'x-user: &user {token: merged-token}',
        'x-context: &context {cluster: toolforge, user: tf-mytool}',
        'clusters: [{name: toolforge, cluster: {<<: *cluster}}]',
        'contexts:',
        '- name: toolforge',
        '  context:',
        '    <<: *context',
        '    namespace: tool-mytool',
        'users: [{name: tf-mytool, user: {<<: [*user]}}]',
        '',
      ].join('\n'))
      const kube = loadKubeconfig({KUBECONFIG: path}, home)
      expect(kube).to.include({token: 'merged-token', tool: 'mytool', server: 'https://k8s.example.test:6443'})
      expect(kube.ca?.equals(CERT)).to.equal(true)
    })

    it('explains an unknown current-context and inline data that is not base64', () => {
      const wrong = join(home, 'wrong')
      writeFileSync(wrong, kubeconfig('{token: t}', {context: 'elsewhere'}))
      expect(() => loadKubeconfig({KUBECONFIG: wrong}, home)).to.throw("context 'elsewhere' not found")
      const garbled = join(home, 'garbled')
      writeFileSync(garbled, kubeconfig('{client-certificate-data: "%%%", client-key-data: "%%%"}'))
      expect(() => loadKubeconfig({KUBECONFIG: garbled}, home)).to.throw('is not base64')
    })
  })

  describe('tool context', () => {
    it('turns a missing kubeconfig into the upstream `become` hint, keeping the reason for --debug', () => {
      let error: Error & {debugDetails?: string} = new Error('not thrown')
      try {
        loadToolContext({HOME: home, KUBECONFIG: join(home, 'missing')})
      } catch (caught) {
        error = caught as typeof error
      }

      expect(error.message).to.equal(BECOME_HINT)
      expect(error.debugDetails).to.include(join(home, 'missing')).and.include('ENOENT')
    })

    it('requires a tool namespace (tool-<name>)', () => {
      const path = join(home, 'default-ns')
      writeFileSync(path, kubeconfig('{token: t}', {namespace: 'default'}))
      expect(() => loadToolContext({HOME: home, KUBECONFIG: path})).to.throw(BECOME_HINT)
    })
  })
})
