import {expect} from 'chai'

import {definitionFits, emptyUsage, parseQuotaArgs, quotaReport, setQuotaOverrides} from '../../src/sandbox/quota.js'

describe('sandbox quota overrides', () => {
  afterEach(() => setQuotaOverrides({}))

  it('parses KEY=VALUE pairs and refuses unknown keys and bad values', () => {
    expect(parseQuotaArgs(['count/cronjobs.batch=128', 'limits.memory=16Gi'])).to.deep.equal({'count/cronjobs.batch': '128', 'limits.memory': '16Gi'})
    expect(() => parseQuotaArgs(['cronjobs'])).to.throw("invalid quota 'cronjobs': expected KEY=VALUE")
    expect(() => parseQuotaArgs(['count/widgets=3'])).to.throw("unknown quota 'count/widgets'")
    expect(() => parseQuotaArgs(['pods=lots'])).to.throw()
  })

  it('parsing does not change the limits in force', () => {
    parseQuotaArgs(['count/cronjobs.batch=1'])
    expect(definitionFits({...emptyUsage(), cronjobs: 10}, {cronjobs: 1})).to.equal(true)
  })

  it('an override raises the limit used for admission and shown by the quota report', () => {
    const usage = {...emptyUsage(), cronjobs: 50}
    expect(definitionFits(usage, {cronjobs: 1})).to.equal(false)
    setQuotaOverrides({'count/cronjobs.batch': '128'})
    expect(definitionFits(usage, {cronjobs: 1})).to.equal(true)
    const definitions = quotaReport(usage).categories.find((c) => c.name === 'Job definitions')
    expect(definitions?.items.find((i) => i.name === 'Cron jobs')).to.include({limit: '128', used: '50'})
  })
})
