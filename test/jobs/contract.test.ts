import {expect} from 'chai'

import type {JobOptions} from '../../src/jobs/payload.js'
import {validateJobOptions} from '../../src/jobs/validate.js'
import {requestBodyValidator} from '../helpers/openapi-schema.js'

// Every kind of body `run` (POST) and `load` (PATCH) sends must match the spec's request schema: the
// oneOf over NewOneOffJob | NewScheduledJob | NewContinuousJob only picks exactly one with `job_type`.
const REPRESENTATIVE: JobOptions[] = [
  {name: 'once', command: './x', image: 'python3.11'},
  {name: 'once.more', command: './x', image: 'tool-mytool/app:latest', filelog: true, mount: 'all', filelogStdout: 'o', filelogStderr: 'e', retry: 5, emails: 'all', mem: '2Gi', cpu: '1'},
  {name: 'cron', command: './x', image: 'python3.11', schedule: '@daily', timeout: 3600, retry: 1, noFilelog: true},
  {name: 'cron5', command: './x', image: 'python3.11', schedule: '*/5 * * * *', timeout: 0},
  {name: 'bot', command: './x', image: 'python3.11', continuous: true, port: '8080', healthCheckHttp: '/healthz', replicas: 2},
  {name: 'dns', command: './x', image: 'python3.11', continuous: true, port: '53/udp', healthCheckScript: './check'},
  {name: 'web', command: 'web', image: 'tool-mytool/app:latest', continuous: true, port: '8000/tcp', publish: true, mount: 'none'},
]

describe('request bodies match the jobs API spec', () => {
  for (const spec of ['jobs-api.yaml', 'jobs-api-publish.yaml']) {
    for (const method of ['post', 'patch']) {
      it(`${method.toUpperCase()} …/jobs against ${spec}`, async () => {
        const check = await requestBodyValidator(spec, '/v1/tool/{tool_name}/jobs', method)
        for (const options of REPRESENTATIVE) {
          const {payload} = validateJobOptions(options)
          expect(check(payload), options.name).to.equal(undefined)
        }

        // The checker does catch what matters: a string port (Q-JOBS-12) and a body without job_type that
        // matches two schemas.
        const bot = validateJobOptions(REPRESENTATIVE[4]).payload
        expect(check({...bot, port: '8080'})).not.to.equal(undefined)
        const {job_type: _ignored, ...untyped} = bot
        expect(check(untyped)).not.to.equal(undefined)
      })
    }
  }
})
