import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import {KubernetesClient, kubernetesConnection} from '../../src/api/kubernetes.js'
import {loadKubeconfig} from '../../src/config/kubeconfig.js'
import {selfSigned} from '../reliability/tls.js'

// The Kubernetes API server is verified against the kubeconfig's CA, so that is what a rejection names,
// not the API gateway's settings.

describe('Kubernetes API client: a CA that rejects the server', () => {
  let server: Server
  let url: string
  const stranger = selfSigned({commonName: 'someone-else', ips: ['127.0.0.1']})

  before(async () => {
    const own = selfSigned({commonName: 'k8s', ips: ['127.0.0.1']})
    server = createServer({cert: own.cert, key: own.key}, (_req, res) => res.end('{}'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
    nock.enableNetConnect('127.0.0.1')
  })
  after(() => {
    nock.disableNetConnect()
    server.close()
  })

  const kube = (caFile?: string) => ({server: url, namespace: 'tool-mytool', token: 't', ca: Buffer.from(stranger.cert), caFile, path: '/home/mytool/.kube/config'})

  it('names the certificate-authority file of the kubeconfig', async () => {
    const client = new KubernetesClient(kubernetesConnection(kube('/home/mytool/.kube/ca.crt'), 'webservice toolforge/1.2.3'), {retries: 0})
    const error = await client.list('pods', 'app=x').then(() => undefined, (caught: Error) => caught)
    expect(error?.message).to.match(
      /presented a certificate that the kubeconfig's certificate-authority \(\/home\/mytool\/\.kube\/ca\.crt, named in \/home\/mytool\/\.kube\/config\) does not accept \(/,
    )
    expect(error?.message).not.to.include('api_gateway').and.not.include('TOOLFORGE_CA_FILE')
  })

  it('names certificate-authority-data when the CA is inline', async () => {
    const client = new KubernetesClient(kubernetesConnection(kube(), 'webservice toolforge/1.2.3'), {retries: 0})
    const error = await client.list('pods', 'app=x').then(() => undefined, (caught: Error) => caught)
    expect(error?.message).to.include("the kubeconfig's certificate-authority (certificate-authority-data in /home/mytool/.kube/config) does not accept")
  })
})

describe('kubeconfig certificate-authority file', () => {
  it('is kept by path, resolved against the kubeconfig folder, for messages to name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-kube-ca-'))
    try {
      writeFileSync(join(dir, 'ca.crt'), selfSigned({commonName: 'k8s'}).cert)
      const config = [
        'current-context: c',
        'clusters: [{name: k, cluster: {server: "https://k8s.example.test:6443", certificate-authority: ca.crt}}]',
        'contexts: [{name: c, context: {cluster: k, namespace: tool-mytool, user: u}}]',
        'users: [{name: u, user: {token: t}}]',
      ].join('\n')
      writeFileSync(join(dir, 'config'), config)
      const kube = loadKubeconfig({KUBECONFIG: join(dir, 'config')})
      expect(kube.caFile).to.equal(join(dir, 'ca.crt'))
      expect(kubernetesConnection(kube, 'webservice toolforge/1.2.3').caSource).to.equal(
        `the kubeconfig's certificate-authority (${join(dir, 'ca.crt')}, named in ${join(dir, 'config')})`,
      )
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
