import {expect} from 'chai'

import {ownCommandId, rootOnlyLoadOptions} from '../../src/launcher/route.js'

const IDS = new Set(['jobs:list', 'jobs:run', 'webservice', 'sandbox:start', '__complete', 'completion'])

describe('launcher routing', () => {
  it('names one of our commands by its leading words, longest match first', () => {
    expect(ownCommandId(['jobs', 'list'], IDS)).to.equal('jobs:list')
    expect(ownCommandId(['jobs', 'list', '-o', 'long'], IDS)).to.equal('jobs:list')
    expect(ownCommandId(['jobs', 'run', 'myjob', '--command', 'x'], IDS)).to.equal('jobs:run')
    // Arguments after the id are not part of it, even when they look like words.
    expect(ownCommandId(['webservice', 'python3.11', 'start'], IDS)).to.equal('webservice')
    expect(ownCommandId(['completion', 'bash'], IDS)).to.equal('completion')
  })

  it('stops at the first flag', () => {
    expect(ownCommandId(['jobs', '--json', 'list'], IDS)).to.equal(undefined)
    expect(ownCommandId(['--debug', 'jobs', 'list'], IDS)).to.equal(undefined)
  })

  it('leaves topics, plugin commands, typos and nothing at all to oclif', () => {
    expect(ownCommandId(['jobs'], IDS)).to.equal(undefined)
    expect(ownCommandId(['autocomplete', 'bash'], IDS)).to.equal(undefined)
    expect(ownCommandId(['help', 'jobs', 'list'], IDS)).to.equal(undefined)
    expect(ownCommandId(['jobz', 'list'], IDS)).to.equal(undefined)
    expect(ownCommandId(['jobs', 'lst'], IDS)).to.equal(undefined)
    expect(ownCommandId([], IDS)).to.equal(undefined)
  })

  it('drops the plugins from a copy of package.json, keeping everything else', () => {
    const pjson = {name: 'toolforge', oclif: {bin: 'toolforge', plugins: ['@oclif/plugin-help'], topicSeparator: ' '}}
    const options = rootOnlyLoadOptions('/opt/toolforge', pjson)
    expect(options).to.deep.equal({
      root: '/opt/toolforge',
      pjson: {name: 'toolforge', oclif: {bin: 'toolforge', plugins: [], topicSeparator: ' '}},
      userPlugins: false,
      devPlugins: false,
    })
    expect(pjson.oclif.plugins).to.deep.equal(['@oclif/plugin-help'])
  })
})
