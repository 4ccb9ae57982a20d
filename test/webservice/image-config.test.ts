import {expect} from 'chai'

import {ImageConfigError, parseImageConfig, typesFromConfigMap} from '../../src/webservice/image-config.js'
import {loadTypeTable} from '../../src/webservice/type-table.js'
import {checkType, EMBEDDED_TYPES, listTypes, type TypeTable, typeOfImage} from '../../src/webservice/wstypes.js'
import {imageConfigMap, IMAGES_V1} from './image-config-fixture.js'

function parseError(text: string): string {
  try {
    parseImageConfig(text)
  } catch (error) {
    expect(error).to.be.instanceOf(ImageConfigError)
    return (error as Error).message
  }
  throw new Error('no error')
}

const entry = (extra: string, more = '') => `t1:\n  state: stable\n${more}  variants:\n    webservice:\n      image: reg.example/t1-web\n      extra: ${extra}\n`

describe('image-config: images-v1.yaml → webservice types', () => {
  it('makes a type of every image with a webservice variant (the webservice.md §2.1 example)', () => {
    const {types, skipped} = parseImageConfig(IMAGES_V1)
    expect(skipped).to.deep.equal([])
    expect(types).to.deep.equal([
      {name: 'jdk21', image: 'docker-registry.svc.toolforge.org/toolforge-jdk21-sssd-web:latest', wstype: 'generic', resources: 'jdk', state: 'stable'},
      {name: 'php7.4', image: 'docker-registry.tools.wmflabs.org/toolforge-php74-sssd-web:latest', wstype: 'lighttpd', resources: 'default', state: 'stable'},
      {name: 'php9.9', image: 'docker-registry.svc.toolforge.org/toolforge-php99-sssd-web:latest', wstype: 'lighttpd', resources: 'default', state: 'stable'},
      {name: 'python3.11', image: 'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest', wstype: 'python', resources: 'default', state: 'deprecated'},
    ])
  })

  it('reads the text from the ConfigMap data key images-v1.yaml', () => {
    expect(typesFromConfigMap(imageConfigMap()).types.map((t) => t.name)).to.deep.equal(['jdk21', 'php7.4', 'php9.9', 'python3.11'])
    for (const configMap of [{}, {data: {}}, {data: {'images-v2.yaml': IMAGES_V1}}, {data: {'images-v1.yaml': 42}}, null, 'text']) {
      expect(() => typesFromConfigMap(configMap), JSON.stringify(configMap)).to.throw(ImageConfigError, 'ConfigMap tf-public/image-config has no data key images-v1.yaml')
    }
  })

  it('refuses text that is not a mapping of images, or has no usable type', () => {
    expect(parseError('php7.4: [unclosed')).to.match(/^images-v1\.yaml is not valid YAML: /)
    expect(parseError('a: 1\na: 2\n')).to.match(/^images-v1\.yaml is not valid YAML: /)
    expect(parseError('<html><body>502 Bad Gateway</body></html>')).to.equal('images-v1.yaml is not a mapping of images')
    expect(parseError('')).to.equal('images-v1.yaml is not a mapping of images')
    expect(parseError('- php7.4\n- python3.11\n')).to.equal('images-v1.yaml is not a mapping of images')
    expect(parseError('bookworm:\n  image: x\n  variants: {jobs-framework: {image: x}}\n')).to.equal('images-v1.yaml has no usable webservice type')
    expect(parseError(entry('{wstype: cobol}'))).to.equal('images-v1.yaml has no usable webservice type')
  })

  it('skips single unusable entries and says why', () => {
    const text = [
      IMAGES_V1,
      entry('{wstype: cobol}').replace('t1', 'cobol1'),
      entry('{wstype: python, resources: huge}').replace('t1', 'big1'),
      entry('{wstype: python}', '  state: [x]\n').replace('  state: stable\n', '').replace('t1', 'odd1'),
      'nomap: 3\n',
      'noimage:\n  variants: {webservice: {extra: {wstype: js}}}\n',
      'buildservice:\n  variants: {webservice: {image: x, extra: {wstype: generic}}}\n',
      '"bad name":\n  variants: {webservice: {image: x, extra: {wstype: generic}}}\n',
    ].join('')
    const {types, skipped} = parseImageConfig(text)
    expect(types.map((t) => t.name)).to.deep.equal(['jdk21', 'php7.4', 'php9.9', 'python3.11'])
    expect(skipped).to.deep.equal([
      `image 'cobol1' is not used as a webservice type: unknown wstype "cobol"`,
      `image 'big1' is not used as a webservice type: unknown resources "huge"`,
      `image 'odd1' is not used as a webservice type: invalid state ["x"]`,
      `image 'nomap' is not used as a webservice type: not a mapping`,
      `image 'noimage' is not used as a webservice type: its webservice variant has no image`,
      `image 'buildservice' is not used as a webservice type: the name of the built-in type`,
      `image 'bad name' is not used as a webservice type: not a name that can be typed`,
    ])
  })

  it('tags images with latest unless they name a tag or digest; a missing state is stable', () => {
    const digest = `sha256:${'a'.repeat(64)}`
    const text = [
      'a1:\n  variants: {webservice: {image: "reg.example:5000/a1-web", extra: {wstype: js}}}\n',
      'b1:\n  variants: {webservice: {image: "reg.example/b1-web:v2", extra: {wstype: js}}}\n',
      `c1:\n  variants: {webservice: {image: "reg.example/c1-web@${digest}", extra: {wstype: js}}}\n`,
    ].join('')
    expect(parseImageConfig(text).types.map((t) => [t.image, t.state])).to.deep.equal([
      ['reg.example:5000/a1-web:latest', 'stable'],
      ['reg.example/b1-web:v2', 'stable'],
      [`reg.example/c1-web@${digest}`, 'stable'],
    ])
  })
})

describe('webservice type table', () => {
  const cluster: TypeTable = {source: 'cluster', types: parseImageConfig(IMAGES_V1).types}

  it('lists the table plus buildservice, marking the default', () => {
    expect(listTypes(cluster, 'mytool').map((t) => [t.name, t.default])).to.deep.equal([
      ['buildservice', false], ['jdk21', false], ['php7.4', true], ['php9.9', false], ['python3.11', false],
    ])
  })

  it('checks names against the table in force, hiding deprecated types from the list', () => {
    expect(checkType(cluster, 'php9.9', 'mytool')).to.include({image: 'docker-registry.svc.toolforge.org/toolforge-php99-sssd-web:latest', wstype: 'lighttpd'})
    expect(() => checkType(EMBEDDED_TYPES, 'php9.9', 'mytool')).to.throw('type must be one of:')
    let details = ''
    try {
      checkType(cluster, 'python3.9', 'mytool')
    } catch (error) {
      details = (error as {details: string}).details
    }
    expect(details).to.equal('  * buildservice\n  * jdk21\n  * php7.4\n  * php9.9')
  })

  it('names the deployed type from a type name, an image of the table, or any catalogue spelling', () => {
    expect(typeOfImage(cluster, 'php9.9', 'mytool')).to.equal('php9.9')
    expect(typeOfImage(cluster, 'docker-registry.svc.toolforge.org/toolforge-php99-sssd-web:latest', 'mytool')).to.equal('php9.9')
    expect(typeOfImage(cluster, 'docker-registry.svc.toolforge.org/toolforge-php99-sssd-web', 'mytool')).to.equal('php9.9')
    expect(typeOfImage(cluster, 'docker-registry.svc.toolforge.org/toolforge-php74-sssd-web:latest', 'mytool')).to.equal('php7.4')
    expect(typeOfImage(cluster, 'tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest', 'mytool')).to.equal('buildservice')
    expect(typeOfImage(cluster, 'python3.9', 'mytool')).to.equal(undefined)
    expect(typeOfImage(EMBEDDED_TYPES, 'python3.9', 'mytool')).to.equal('python3.9')
    expect(typeOfImage(cluster, '', 'mytool')).to.equal(undefined)
  })

  it('loads the cluster table, or falls back to the embedded one and says why', async () => {
    const lines: string[] = []
    const loaded = await loadTypeTable(async () => imageConfigMap(), (line) => lines.push(line))
    expect(loaded.source).to.equal('cluster')
    expect(loaded.types.map((t) => t.name)).to.deep.equal(['jdk21', 'php7.4', 'php9.9', 'python3.11'])
    expect(lines).to.deep.equal(['webservice types: 4 from ConfigMap tf-public/image-config'])

    for (const read of [async () => imageConfigMap('- not a mapping'), async () => ({}), () => Promise.reject(new Error('connection refused')), () => {
      throw new Error('no kubeconfig')
    }]) {
      lines.length = 0
      expect(await loadTypeTable(read, (line) => lines.push(line))).to.equal(EMBEDDED_TYPES)
      expect(lines).to.have.length(1)
      expect(lines[0]).to.match(/^webservice types: using the built-in list, ConfigMap tf-public\/image-config could not be used: \S/)
    }
  })
})
