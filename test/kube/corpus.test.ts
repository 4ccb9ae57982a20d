import {expect} from 'chai'

import {generateCorpus, generateCorpusItems} from '../../src/kube/corpus.js'
import {checkPolicy} from '../../src/kube/policy.js'

describe('kube/corpus', () => {
  it('builds exactly n varied workloads that all pass the policy', () => {
    const items = generateCorpusItems(600)
    expect(items).to.have.length(600)
    expect(new Set(items.map((i) => i.object.kind))).to.deep.equal(new Set(['Job', 'CronJob', 'Deployment', 'Pod']))
    expect(new Set(items.map((i) => i.tool)).size).to.be.greaterThan(100)
    for (const {object, uid, tool} of items) expect(checkPolicy(object, {uid, tool})).to.deep.equal([])
  })

  it('is reproducible', () => {
    expect(JSON.stringify(generateCorpus(50))).to.equal(JSON.stringify(generateCorpus(50)))
    expect(generateCorpus(0)).to.deep.equal([])
  })
})
