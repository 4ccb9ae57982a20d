import {expect} from 'chai'

import {buildPayload, isBuildserviceImage, type JobOptions, parsePort} from '../../src/jobs/payload.js'
import {JobValidationError, validateJobOptions} from '../../src/jobs/validate.js'

const base = (extra: Partial<JobOptions> = {}): JobOptions => ({name: 'myjob', command: './run.sh', image: 'python3.11', ...extra})
const BS_IMAGE = 'tool-mytool/tool-mytool:latest'

function problem(opts: JobOptions): {message: string; key?: string} {
  try {
    validateJobOptions(opts)
  } catch (error) {
    expect(error).to.be.instanceOf(JobValidationError)
    const e = error as JobValidationError
    expect(e.exitCode).to.equal(1)
    return {message: e.message, key: e.key}
  }

  throw new Error('expected a validation error')
}

describe('validateJobOptions', () => {
  describe('upstream client-side checks, in upstream order (jobs.md §2.3)', () => {
    // Each case also breaks every later rule, so the assertion proves which check runs first.
    const cases: [string, JobOptions, string, string][] = [
      [
        '2. health check on a non-continuous job',
        base({healthCheckScript: './check.sh', port: '8080', replicas: 2, mount: 'none', filelog: true, timeout: 5}),
        'Health checks are only supported for continuous jobs.',
        'healthCheckScript',
      ],
      [
        '3. http health check without port',
        base({continuous: true, healthCheckHttp: '/healthz', schedule: '@daily', replicas: 2, timeout: 5}),
        '--health-check-http requires --port to be set as well',
        'healthCheckHttp',
      ],
      [
        '4. continuous and schedule',
        base({continuous: true, schedule: '@daily', timeout: 5, mount: 'none', filelog: true}),
        "Only one of 'continuous' and 'schedule' can be set at the same time",
        'continuous',
      ],
      ['5. port on a one-off job', base({port: '8080', replicas: 2, timeout: 5}), '--port is only valid for continuous jobs', 'port'],
      ['6. replicas on a scheduled job', base({schedule: '@daily', replicas: 2, mount: 'none', filelog: true}), '--replicas is only valid for continuous jobs', 'replicas'],
      [
        '7. --filelog with --mount=none',
        base({image: BS_IMAGE, filelog: true, mount: 'none', timeout: 5}),
        'Specifying --filelog requires --mount=all',
        'filelog',
      ],
      [
        '8. log paths without file logs',
        base({noFilelog: true, filelogStdout: 'out.log', timeout: 5}),
        'Specifying --filelog-stdout or --filelog-stderr requires --filelog',
        'filelogStdout',
      ],
      ['8. log paths on a build service image (file logs off by default)', base({image: BS_IMAGE, filelogStderr: 'err.log'}), 'Specifying --filelog-stdout or --filelog-stderr requires --filelog', 'filelogStderr'],
      ['9. timeout on a one-off job', base({timeout: 5, retry: 9}), '--timeout is only valid for scheduled jobs', 'timeout'],
    ]
    for (const [title, opts, message, key] of cases) {
      it(title, () => {
        expect(problem(opts)).to.deep.equal({message, key})
      })
    }
  })

  describe('mutually exclusive options (jobs.yaml; run reports them as usage errors first)', () => {
    const cases: [JobOptions, string][] = [
      [base({filelog: true, noFilelog: true}), '--filelog and --no-filelog cannot be used together'],
      [base({continuous: true, healthCheckScript: 'x', healthCheckHttp: '/h', port: '80'}), '--health-check-script and --health-check-http cannot be used together'],
      [base({wait: 10, schedule: '@daily'}), '--wait cannot be used together with --schedule (only one-off jobs can be waited for)'],
      [base({wait: 10, continuous: true}), '--wait cannot be used together with --continuous (only one-off jobs can be waited for)'],
    ]
    for (const [opts, message] of cases) {
      it(message, () => {
        expect(problem(opts).message).to.equal(message)
      })
    }
  })

  describe('publish (jobs.md §3.8)', () => {
    it('needs a continuous job', () => {
      expect(problem(base({publish: true}))).to.deep.equal({message: '--publish is only valid for continuous jobs', key: 'publish'})
    })
    it('needs a port', () => {
      expect(problem(base({publish: true, continuous: true})).message).to.equal('publish requires port to be set')
    })
    it('needs a tcp port', () => {
      expect(problem(base({publish: true, continuous: true, port: '8080/udp'})).message).to.equal('publish requires port_protocol set to tcp')
    })
    it('accepts a bare or tcp port', () => {
      expect(validateJobOptions(base({publish: true, continuous: true, port: '8080'})).payload.publish).to.equal('/')
      expect(validateJobOptions(base({publish: true, continuous: true, port: '8080/tcp'})).payload.port_protocol).to.equal('tcp')
    })
  })

  describe('what the API would refuse anyway', () => {
    const cases: [string, JobOptions, RegExp | string][] = [
      ['a name with capitals', base({name: 'MyJob'}), /^Invalid job name 'MyJob': use lower case letters/],
      ['a name with underscores', base({name: 'my_job'}), /^Invalid job name 'my_job'/],
      ['a name ending in a dash', base({name: 'job-'}), /^Invalid job name 'job-'/],
      ['a name over 52 characters', base({name: 'a'.repeat(53)}), /it must be 1 to 52 characters long$/],
      ['an empty name', base({name: ''}), /it must be 1 to 52 characters long$/],
      ['an empty command', base({command: '  '}), '--command must not be empty'],
      ['a bad schedule', base({schedule: '* * *'}), 'Unable to parse cron expression "* * *" (Unable to parse cron expression "* * *": Expected to find 5 space-separated values, found 3)'],
      ['an unknown macro', base({schedule: '@often'}), /Invalid at-macro '@often'/],
      ['an out-of-range minute', base({schedule: '61 * * * *'}), /Invalid value '61', expected 0-59/],
      ['a negative timeout', base({schedule: '@daily', timeout: -1}), "Invalid --timeout value '-1': expected an integer ≥ 0"],
      ['retry 6', base({retry: 6}), 'argument --retry: invalid choice: 6 (choose from 0, 1, 2, 3, 4, 5)'],
      ['retry on a continuous job', base({continuous: true, retry: 1}), '--retry is only valid for one-off and scheduled jobs'],
      ['0 replicas (Q-JOBS-06)', base({continuous: true, replicas: 0}), "Invalid --replicas value '0': expected an integer ≥ 1"],
      ['port 0', base({continuous: true, port: '0'}), /^Invalid --port value '0': expected a port number from 1 to 65535/],
      ['port 65536', base({continuous: true, port: '65536'}), /^Invalid --port value '65536'/],
      ['port with an unknown protocol', base({continuous: true, port: '8080/sctp'}), /^Invalid --port value '8080\/sctp'/],
      ['a non-numeric port', base({continuous: true, port: 'http'}), /^Invalid --port value 'http'/],
      ['memory with a bad unit', base({mem: '1GB'}), "Invalid --mem value '1GB': expected a positive Kubernetes quantity such as 512Mi, 1G, 2Gi or 0.5Gi"],
      ['negative memory', base({mem: '-1Gi'}), /^Invalid --mem value '-1Gi'/],
      ['zero cpu', base({cpu: '0'}), "Invalid --cpu value '0': expected a positive Kubernetes quantity such as 500m, 1 or 0.5"],
      ['cpu with a lower-case binary unit', base({cpu: '1gi'}), /^Invalid --cpu value '1gi'/],
      ['an unknown emails value', base({emails: 'sometimes'}), "argument --emails: invalid choice: 'sometimes' (choose from 'none', 'all', 'onfinish', 'onfailure')"],
      ['an unknown mount value', base({mount: 'some'}), "argument --mount: invalid choice: 'some' (choose from 'all', 'none')"],
      ['mount none on a prebuilt image (Q-JOBS-09 fixed)', base({mount: 'none'}), 'Mount type none is only supported for build service images'],
      ['a zero wait', base({wait: 0}), "Invalid --wait value '0': expected an integer ≥ 1"],
    ]
    for (const [title, opts, message] of cases) {
      it(`refuses ${title}`, () => {
        const got = problem(opts).message
        if (typeof message === 'string') expect(got).to.equal(message)
        else expect(got).to.match(message)
      })
    }

    for (const quantity of ['500Mi', '1G', '2Gi', '0.5Gi', '4000Mi', '1.5', '512M']) {
      it(`accepts memory ${quantity}`, () => {
        expect(validateJobOptions(base({mem: quantity})).payload.memory).to.equal(quantity)
      })
    }

    for (const quantity of ['500m', '1', '0.5', '2']) {
      it(`accepts cpu ${quantity}`, () => {
        expect(validateJobOptions(base({cpu: quantity})).payload.cpu).to.equal(quantity)
      })
    }

    it('accepts a 52-character dotted name', () => {
      const name = `${'a'.repeat(25)}.${'b'.repeat(26)}`
      expect(validateJobOptions(base({name})).payload.name).to.equal(name)
    })
  })

  describe('payloads', () => {
    it('one-off: filelog always sent, job_type set, unset keys dropped', () => {
      expect(validateJobOptions(base()).payload).to.deep.equal({name: 'myjob', cmd: './run.sh', imagename: 'python3.11', job_type: 'one-off', filelog: true})
    })

    it('filelog defaults off for build service images, on for prebuilt ones given by URL (Q-JOBS-08 fixed)', () => {
      expect(validateJobOptions(base({image: BS_IMAGE})).payload.filelog).to.equal(false)
      expect(validateJobOptions(base({image: `tools-harbor.wmcloud.org/${BS_IMAGE}@sha256:abc`})).payload.filelog).to.equal(false)
      expect(validateJobOptions(base({image: 'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest'})).payload.filelog).to.equal(true)
    })

    it('continuous job with everything', () => {
      const {payload, wait} = validateJobOptions(
        base({continuous: true, port: '8080/udp', healthCheckScript: './check.sh', replicas: 3, mem: '1Gi', cpu: '500m', emails: 'all', image: BS_IMAGE, mount: 'all', filelog: true, filelogStdout: 'logs/out', filelogStderr: 'logs/err'}),
      )
      expect(wait).to.equal(undefined)
      expect(payload).to.deep.equal({
        name: 'myjob', cmd: './run.sh', imagename: BS_IMAGE, job_type: 'continuous', continuous: true, filelog: true,
        filelog_stdout: 'logs/out', filelog_stderr: 'logs/err', emails: 'all', mount: 'all', memory: '1Gi', cpu: '500m',
        replicas: 3, port: 8080, port_protocol: 'udp', health_check: {type: 'script', script: './check.sh'},
      })
    })

    it('scheduled job keeps the macro as written and the timeout', () => {
      const {payload} = validateJobOptions(base({schedule: '@daily', timeout: 3600, retry: 2, noFilelog: true}))
      expect(payload).to.deep.equal({name: 'myjob', cmd: './run.sh', imagename: 'python3.11', job_type: 'scheduled', schedule: '@daily', filelog: false, retry: 2, timeout: 3600})
    })

    it('returns the wait seconds separately (never sent)', () => {
      const {payload, wait} = validateJobOptions(base({wait: 30}))
      expect(wait).to.equal(30)
      expect(payload).not.to.have.property('wait')
    })
  })
})

describe('payload helpers', () => {
  it('parsePort', () => {
    expect(parsePort('8080')).to.deep.equal({port: 8080})
    expect(parsePort('8080/tcp')).to.deep.equal({port: 8080, protocol: 'tcp'})
    expect(parsePort('53/udp')).to.deep.equal({port: 53, protocol: 'udp'})
    for (const bad of ['', '0', '65536', '-1', '80/', '/tcp', '8o', '80/TCP', '1e3', ' 80']) expect(parsePort(bad), bad).to.equal(undefined)
  })

  it('isBuildserviceImage', () => {
    for (const image of [BS_IMAGE, 'tool-other/theirs:latest', 'tools-harbor.wmcloud.org/tool-x/y:1@sha256:00', 'harbor.local:5000/tool-x/y']) {
      expect(isBuildserviceImage(image), image).to.equal(true)
    }

    for (const image of ['python3.11', 'tf-node12', 'toolforge-node12-sssd-base:latest', 'docker-registry.tools.wmflabs.org/toolforge-bookworm-sssd:latest']) {
      expect(isBuildserviceImage(image), image).to.equal(false)
    }
  })

  it('buildPayload never emits undefined values', () => {
    const payload = buildPayload(base(), true) as unknown as Record<string, unknown>
    expect(Object.values(payload).every((v) => v !== undefined)).to.equal(true)
  })
})
