import type {Case} from './types.js'

// service.template: read before anything is sent; a broken one stops `webservice start` with exit 1 and
// says what in it is wrong (upstream's two-line report).

const ERRORS = (reason: RegExp) => new RegExp(`^ERROR: Your template file \\(.*service\\.template\\) contains errors:\\n {2}${reason.source}`)

function template(name: string, text: string, reason: RegExp): Case {
  return {name: `service.template: ${name}`, argv: ['webservice', 'start'], files: {'service.template': text}, exit: 1, message: ERRORS(reason)}
}

const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({length: 8}, (_, i) => `l${i}: &l${i} [${Array(10).fill(i === 0 ? '*a' : `*l${i - 1}`).join(', ')}]`).join('\n')}\n`

export const TEMPLATE_CASES: Case[] = [
  template('not YAML', 'type: [python3.11\n', /.+at line \d+, column \d+/),
  template('a tab for indentation', 'type: python3.11\n\tcpu: 1\n', /.+/),
  template('an alias bomb', bomb, /.*(alias|Excessive).*/i),
  template('5000 levels of nesting', `type: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, /.+/),
  template('a list', '- type: python3.11\n', /the template must be a mapping of option names to values/),
  template('a scalar', 'python3.11\n', /the template must be a mapping of option names to values/),
  template('cpu: lots', 'cpu: lots\n', /argument -c\/--cpu: lots is not a valid Kubernetes quantity/),
  template('cpu: -1', 'cpu: -1\n', /argument -c\/--cpu: -1 is not a valid Kubernetes quantity/),
  template('mem: 1e400', 'mem: 1e400\n', /argument -m\/--mem: .* is not a valid Kubernetes quantity/),
  template('mem: 0', 'mem: 0\n', /argument -m\/--mem: 0 is not a valid Kubernetes quantity/),
  template('replicas: 0', 'replicas: 0\n', /argument -r\/--replicas: must be at least 1, got 0/),
  template('replicas: two', 'replicas: two\n', /argument -r\/--replicas: invalid int value: 'two'/),
  template('replicas: 1.5', 'replicas: 1.5\n', /argument -r\/--replicas: invalid int value: '1.5'/),
  template('backend: moon', 'backend: moon\n', /argument --backend: invalid choice: 'moon'/),
  template('mount: some', 'mount: some\n', /argument --mount: invalid choice: 'some'/),
  template('health-check-path without a slash', 'health-check-path: healthz\n', /argument --health-check-path: 'healthz' must start with '\/'/),
  template('extra_args with an open quote', 'extra_args: \'--flag "unclosed\'\n', /extra_args: .+/),
  template('extra_args as a mapping', 'extra_args: {a: b}\n', /extra_args must be a list of strings/),
  {
    name: 'service.template: two of them',
    argv: ['webservice', 'start'],
    files: {'service.template': 'type: python3.11\n', 'public_html/service.template': 'type: php8.2\n'},
    exit: 1,
    message: /^ERROR: Only one service.template file is allowed, multiple were found/,
    maxLines: 3,
  },
  {name: '--template that does not exist', argv: ['webservice', 'start', '--template', '{HOME}/none.template'], exit: 2, message: /^ERROR: argument --template: can't open '.*none\.template': \[Errno 2\] No such file or directory/},
  {name: '--template that is a directory', argv: ['webservice', 'start', '--template', '{HOME}/tdir'], files: {tdir: null}, exit: 2, message: /^ERROR: argument --template: can't open '.*tdir': EISDIR/},
]
