import {expect} from 'chai'

import {CronError, cronApiErrorMessage, expandSchedule, validateCron} from '../../src/kube/cron.js'
import {fixtureJson} from './fixtures.js'

describe('kube/cron', () => {
  describe('macro expansion reproduces random.seed("<tool> <job>") + randint', () => {
    it('gives the documented examples', () => {
      expect(expandSchedule('@hourly', 'mytool', 'mycronjob')).to.equal('19 * * * *')
      expect(expandSchedule('@daily', 'mytool', 'mycronjob')).to.equal('19 17 * * *')
      expect(expandSchedule('@weekly', 'mytool', 'mycronjob')).to.equal('19 17 * * 3')
      // examples/jobs-api/fixture-daily_cronjob.json
      expect(expandSchedule('@daily', 'tf-test', 'cronjobtest')).to.equal('13 13 * * *')
    })

    it('agrees with CPython on 220 tool/job/macro combinations', () => {
      const vectors = fixtureJson<Array<{tool: string; job: string; schedule: string; expected: string}>>('cron-macro-vectors.json')
      expect(vectors).to.have.length(220)
      for (const v of vectors) expect(expandSchedule(v.schedule, v.tool, v.job), `${v.tool} ${v.job} ${v.schedule}`).to.equal(v.expected)
    })

    it('keeps @monthly days within 1-31 and months untouched', () => {
      const [minute, hour, day, month, dow] = expandSchedule('@monthly', 'a', 'b').split(' ')
      expect(Number(minute)).to.be.within(0, 59)
      expect(Number(hour)).to.be.within(0, 23)
      expect(Number(day)).to.be.within(1, 31)
      expect([month, dow]).to.deep.equal(['*', '*'])
    })
  })

  describe('plain expressions', () => {
    it('accepts the supported syntax and normalises case and spacing', () => {
      for (const expr of ['* * * * *', '*/5 * * * *', '0 0 1 1 0', '59 23 31 12 6', '1,2,3 0-23 1-31 1-12 0-6', '5/15 * * * *', '0 0 * * 7', '0 0 * * sun', '0 0 * * */', '0 0 * * MON']) {
        expect(validateCron(expr), expr).to.equal(undefined)
      }
      expect(expandSchedule('0  0 * *   MON', 't', 'j')).to.equal('0 0 * * mon')
      expect(expandSchedule(' 1 2 3 4 5 ', 't', 'j')).to.equal('1 2 3 4 5')
    })

    it('rejects with the upstream messages', () => {
      const cases: Array<[string, string]> = [
        ['* * *', 'Unable to parse cron expression "* * *": Expected to find 5 space-separated values, found 3'],
        ['* * * * * *', 'Unable to parse cron expression "* * * * * *": Expected to find 5 space-separated values, found 6'],
        ['x * * * *', `Unable to parse cron expression "x": Unable to parse 'x' as an integer`],
        ['60 * * * *', `Unable to parse cron expression "60": Invalid value '60', expected 0-59`],
        ['* 24 * * *', `Unable to parse cron expression "24": Invalid value '24', expected 0-23`],
        ['* * 0 * *', `Unable to parse cron expression "0": Invalid value '0', expected 1-31`],
        ['* * * 13 *', `Unable to parse cron expression "13": Invalid value '13', expected 1-12`],
        ['* * * jan *', `Unable to parse cron expression "jan": Unable to parse 'jan' as an integer`],
        ['* * * * 8', `Unable to parse cron expression "8": Invalid value '8', expected 0-6`],
        ['5-3 * * * *', 'Unable to parse cron expression "5-3": End value 3 must be smaller than start value 5'],
        ['* * 0-5 * *', 'Unable to parse cron expression "0-5": Start value 0 must be at least 1'],
        ['* * * * 1-7', 'Unable to parse cron expression "1-7": End value 7 must be at most 6'],
        ['1-5/2 * * * *', 'Unable to parse cron expression "1-5/2": Step syntax is not supported with ranges'],
        ['*/0 * * * *', `Unable to parse cron expression "*/0": Invalid step value in '*'`],
        ['*/60 * * * *', `Unable to parse cron expression "*/60": Invalid step value in '*'`],
        ['*/x * * * *', `Unable to parse cron expression "*/x": Unable to parse 'x' (from '*') as an integer`],
        ['* * * * mon-fri', `Unable to parse cron expression "mon-fri": Unable to parse 'mon' as an integer`],
        ['1,,2 * * * *', `Unable to parse cron expression "1,,2": Unable to parse '' as an integer`],
        [
          '@annually',
          `Unable to parse cron expression "@annually": Invalid at-macro '@annually', supported macros are: @hourly, @daily, @weekly, @monthly, @yearly`,
        ],
        ['@reboot', `Unable to parse cron expression "@reboot": Invalid at-macro '@reboot', supported macros are: @hourly, @daily, @weekly, @monthly, @yearly`],
      ]
      for (const [expr, message] of cases) {
        expect(validateCron(expr), expr).to.equal(message)
        expect(() => expandSchedule(expr, 't', 'j'), expr).to.throw(CronError, message)
      }
    })

    it('wraps errors the way the API reports them', () => {
      const cause = validateCron('* * *') ?? ''
      expect(cronApiErrorMessage('* * *', cause)).to.equal(
        'Unable to parse cron expression "* * *" (Unable to parse cron expression "* * *": Expected to find 5 space-separated values, found 3)',
      )
    })
  })
})
