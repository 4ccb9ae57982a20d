import {expect} from 'chai'
import nock from 'nock'

import {KubernetesClient} from '../../src/api/kubernetes.js'

const K8S = 'https://k8s.example.test:6443'
const URL = '/api/v1/namespaces/tf-public/configmaps/image-config'

describe('Kubernetes API client: ConfigMaps of another namespace', () => {
  const client = (retries?: number) =>
    new KubernetesClient({server: K8S, namespace: 'tool-mytool', userAgent: 'webservice toolforge/1.2.3', timeoutSeconds: 3}, {retries, retryBaseMs: 1})

  it('reads from the namespace asked for, not the tool namespace', async () => {
    nock(K8S).get(URL).reply(200, {kind: 'ConfigMap', data: {'images-v1.yaml': 'php7.4: {}\n'}})
    expect(await client().configMap('tf-public', 'image-config')).to.deep.equal({kind: 'ConfigMap', data: {'images-v1.yaml': 'php7.4: {}\n'}})
    // Tool objects still live in the tool namespace.
    expect(client().path('pods')).to.equal('/api/v1/namespaces/tool-mytool/pods')
  })

  it('reports a missing or forbidden ConfigMap as an error with the API server message and status', async () => {
    nock(K8S)
      .get(URL).reply(404, {kind: 'Status', status: 'Failure', message: 'configmaps "image-config" not found', code: 404})
      .get(URL).reply(403, {kind: 'Status', status: 'Failure', message: 'configmaps "image-config" is forbidden: User "mytool" cannot get resource "configmaps"', code: 403})
    const missing = await client().configMap('tf-public', 'image-config').then(() => undefined, (error: Error & {status?: number}) => error)
    expect(missing).to.include({message: 'configmaps "image-config" not found', status: 404})
    const forbidden = await client().configMap('tf-public', 'image-config').then(() => undefined, (error: Error & {status?: number}) => error)
    expect(forbidden?.status).to.equal(403)
    expect(forbidden?.message).to.contain('is forbidden')
  })

  it('asks once when told not to retry', async () => {
    const scope = nock(K8S).get(URL).reply(503, 'unavailable').get(URL).reply(200, {kind: 'ConfigMap'})
    const error = await client(0).configMap('tf-public', 'image-config').then(() => undefined, (caught: Error) => caught)
    expect(error).to.be.instanceOf(Error)
    expect(scope.pendingMocks()).to.have.length(1)
  })
})
