import {expect} from 'chai'

import {apiImageList, listImages, resolveImage, resolveWebserviceType, webserviceTypes} from '../../src/kube/images.js'

const PY311 = 'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest'
const DIGEST = `sha256:${'ab'.repeat(32)}`

describe('kube/images', () => {
  it('resolves short names, aliases and variant names to the -web image jobs run', () => {
    for (const name of [
      'python3.11',
      'tf-python311',
      'toolforge-python311',
      'toolforge-python311-sssd-base',
      'toolforge-python311-sssd-base:latest',
      'toolforge-python311-sssd-web',
      'toolforge-python311-sssd-web:latest',
      PY311,
      'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-base:latest',
      'docker-registry.svc.toolforge.org/toolforge-python311-sssd-web:latest',
      'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web',
    ]) {
      expect(resolveImage(name, 'mytool'), name).to.deep.equal({url: PY311, shortname: 'python3.11', buildservice: false, state: 'stable'})
    }
  })

  it('runs base images without a web variant and reports deprecation', () => {
    expect(resolveImage('bookworm', 't')?.url).to.equal('docker-registry.tools.wmflabs.org/toolforge-bookworm-sssd:latest')
    expect(resolveImage('tf-node12-DEPRECATED', 't')).to.deep.include({shortname: 'node12', state: 'deprecated'})
    expect(resolveImage('mono6.8', 't')?.url).to.equal('docker-registry.tools.wmflabs.org/toolforge-mono68-sssd-base:latest')
  })

  it('resolves buildservice images with or without host, tag and digest', () => {
    expect(resolveImage('tool-mytool/tool-mytool:latest', 'mytool')).to.deep.equal({
      url: 'tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest',
      shortname: 'tool-mytool/tool-mytool:latest',
      buildservice: true,
      state: 'stable',
    })
    expect(resolveImage(`harbor.example.org/tool-mytool/myimage:latest@${DIGEST}`, 'mytool')).to.deep.include({
      url: `harbor.example.org/tool-mytool/myimage:latest@${DIGEST}`,
      shortname: `tool-mytool/myimage:latest@${DIGEST}`,
    })
    expect(resolveImage('tool-mytool/myimage', 'mytool')?.url).to.equal('tools-harbor.wmcloud.org/tool-mytool/myimage:latest')
    expect(resolveImage('tool-another/theirimage:v2', 'mytool')).to.deep.include({buildservice: true, state: 'unknown'})
    expect(resolveImage('tool-a/b:c', 'a', 'harbor.local')?.url).to.equal('harbor.local/tool-a/b:c')
  })

  it('rejects unknown names', () => {
    for (const name of ['python9', 'Python3.11', 'docker.io/library/python:3', 'tool-/x:1', 'tool-a/B:1', 'tool-a/b:@x', '', 'tf-python311:latest']) {
      expect(resolveImage(name, 'a'), name).to.equal(undefined)
    }
  })

  it('lists the catalogue sorted, and stable images for the API', () => {
    const names = listImages().map((i) => i.shortname)
    expect(names).to.deep.equal([...names].sort())
    expect(names).to.include.members(['bookworm', 'jdk17', 'php7.4', 'python3.11'])
    const api = apiImageList()
    expect(api).to.deep.include({shortname: 'python3.11', image: PY311})
    expect(api.map((i) => i.shortname)).to.not.include('node12')
  })

  it('derives webservice types from images with a webservice variant', () => {
    expect(resolveWebserviceType('php7.4')).to.deep.equal({
      type: 'php7.4',
      image: 'docker-registry.tools.wmflabs.org/toolforge-php74-sssd-web:latest',
      wstype: 'lighttpd',
      resources: 'default',
      state: 'stable',
    })
    expect(resolveWebserviceType('jdk17')).to.deep.include({wstype: 'generic', resources: 'jdk'})
    expect(resolveWebserviceType('bookworm')).to.equal(undefined)
    expect(webserviceTypes().map((t) => t.type)).to.not.include('bookworm')
  })
})
