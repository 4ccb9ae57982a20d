import type {Case} from './types.js'

// Command-line flags and arguments: empty, huge, unicode and control characters, negative or absurd
// quantities, bad cron. Exit 2 for what the parser refuses (usage), 1 for what validation refuses.

const RUN = (name: string, ...extra: string[]) => {
  // A case that gives --command or --image itself replaces the default one.
  const base = [...(extra.includes('--command') ? [] : ['--command', './run.sh']), ...(extra.includes('--image') ? [] : ['--image', 'bookworm'])]
  return ['jobs', 'run', name, ...base, ...extra]
}
const NAME = /^ERROR: Invalid job name /

const names: [string, string][] = [
  ['empty', ''], ['blank', ' '], ['upper case', 'MyJob'], ['underscore', 'my_job'], ['53 characters', 'a'.repeat(53)],
  ['10 000 characters', 'j'.repeat(10_000)], ['non-ASCII letter', 'jöb'], ['NUL', 'job\u0000'], ['newline', 'job\nname'],
  ['tab', 'job\tx'], ['trailing dash', 'job-'], ['leading dot', '.job'], ['double dot', 'job..x'], ['path', '../../x'],
  ['slash', 'a/b'], ['space', 'my job'], ['emoji', '💥'], ['RTL override', '\u202Ejob'], ['zero-width space', 'job\u200B'],
  ['escape sequence', '\u001B[31mred'],
]

const runFlags: [string, string[], 1 | 2, RegExp][] = [
  ['empty --command', ['--command', ''], 1, /--command must not be empty/],
  ['blank --command', ['--command', '  \t '], 1, /--command must not be empty/],
  ['empty --image', ['--image', ''], 1, /--image must not be empty/],
  ...(['', '-1Gi', '0', '0Mi', 'lots', '1e400', 'NaN', 'Infinity', '5GiB', '1..5Gi', '1 Gi', '1_000Mi', '--1', '\u0661Gi', '9'.repeat(5000)].map(
    (mem): [string, string[], 1 | 2, RegExp] => [`--mem ${JSON.stringify(mem.slice(0, 20))}`, [`--mem=${mem}`], 1, /Invalid --mem value/],
  )),
  ...(['-1', '0', 'abc', '0m', '1e', '-0.5'].map((cpu): [string, string[], 1 | 2, RegExp] => [`--cpu ${cpu}`, [`--cpu=${cpu}`], 1, /Invalid --cpu value/])),
  ...(['two', '1.5', '1e3', ''].map((n): [string, string[], 1 | 2, RegExp] => [`--replicas ${JSON.stringify(n)}`, ['--continuous', `--replicas=${n}`], 2, /Expected an integer/])),
  ['--replicas -1', ['--continuous', '--replicas=-1'], 1, /Invalid --replicas value '-1'/],
  ['--replicas 0', ['--continuous', '--replicas', '0'], 1, /Invalid --replicas value '0'/],
  ['--replicas beyond any integer', ['--continuous', '--replicas', '99999999999999999999'], 1, /Invalid --replicas value/],
  ['--mem 1e400 (more than any node)', ['--mem', '1e400'], 1, /Invalid --mem value '1e400': more than any node has \(at most 1Pi\)/],
  ['--cpu 1e9 (more than any node)', ['--cpu', '1e9'], 1, /Invalid --cpu value '1e9': more than any node has/],
  ['--timeout -5', ['--schedule', '@daily', '--timeout=-5'], 1, /Invalid --timeout value '-5'/],
  ['--timeout abc', ['--schedule', '@daily', '--timeout', 'abc'], 2, /Expected an integer/],
  ['--timeout 1.5', ['--schedule', '@daily', '--timeout', '1.5'], 2, /Expected an integer/],
  ...(['0', '65536', '-1', 'http', '80/sctp', '80/', '/tcp', '', ' 80', '8080/tcp/udp', '１２３'].map(
    (port): [string, string[], 1 | 2, RegExp] => [`--port ${JSON.stringify(port)}`, ['--continuous', `--port=${port}`], 1, /Invalid --port value/],
  )),
  ...([
    '', '* * * *', '61 * * * *', '* 25 * * *', '* * 32 * *', '* * * 13 *', '* * * * 8', '@weekly2', '@', 'every day', '* * * * * * *',
    '*/0 * * * *', 'L * * * *', '1-70 * * * *', ',,, * * * *', '* * * * mon-', '\u0000 * * * *',
  ].map((cron): [string, string[], 1 | 2, RegExp] => [`--schedule ${JSON.stringify(cron)}`, [`--schedule=${cron}`], 1, /^ERROR: (Unable to parse cron expression|.*schedule)/])),
  ['--emails never', ['--emails', 'never'], 2, /Expected --emails=never to be one of/],
  ['--emails empty', ['--emails='], 2, /Expected --emails= to be one of/],
  ['--mount some', ['--mount', 'some'], 2, /Expected --mount=some to be one of/],
  ['--retry 7', ['--retry', '7'], 2, /Expected --retry=7 to be one of/],
  ['--retry -1', ['--retry=-1'], 2, /Expected --retry=-1 to be one of/],
  ['--wait 0', ['--wait', '0'], 1, /Invalid --wait value '0'/],
  ['--wait -3', ['--wait=-3'], 1, /Invalid --wait value '-3'/],
  ['--wait abc', ['--wait', 'abc'], 2, /Unexpected argument: abc/],
  ['empty --health-check-http', ['--continuous', '--port', '80', '--health-check-http='], 1, /--health-check-http must not be empty/],
  ['empty --health-check-script', ['--continuous', '--health-check-script='], 1, /--health-check-script must not be empty/],
  ['empty --filelog-stdout', ['--filelog-stdout='], 1, /--filelog-stdout must not be empty/],
  ['--schedule with --continuous', ['--schedule', '@daily', '--continuous'], 2, /not allowed with argument --schedule/],
  ['an unknown flag', ['--memory', '1Gi'], 2, /Nonexistent flag: --memory|unrecognized|--memory/],
]

export const FLAG_CASES: Case[] = [
  ...names.map(([label, name]): Case => ({name: `jobs run: ${label} name`, argv: RUN(name), exit: 1, message: NAME})),
  ...runFlags.map(([label, extra, exit, message]): Case => ({name: `jobs run: ${label}`, argv: extra.includes('--continuous') ? RUN('bot', ...extra) : RUN('myjob', ...extra), exit, message})),
  {name: 'jobs run: a --command with NUL characters', argv: RUN('myjob', '--command', 'x\u0000y'), exit: 1, message: /--command must not contain NUL characters/},

  // A name that cannot be an object in a URL: `.`, `..` and '' would address the collection (DELETE = flush).
  ...(['delete', 'show', 'restart', 'logs', 'wait'] as const).flatMap((command) =>
    ['', '.', '..', 'a\u0000b'].map((name): Case => ({name: `jobs ${command} ${JSON.stringify(name)}`, argv: ['jobs', command, name], exit: 1, message: /^ERROR: Invalid job name /})),
  ),
  ...['0', '-1', '5001', 'abc', ''].map((last): Case => ({
    name: `jobs logs --last ${JSON.stringify(last)}`,
    argv: ['jobs', 'logs', 'myjob', `--last=${last}`],
    exit: last === '5001' ? 1 : 2,
    message: last === '5001' ? /over limit of 5000/ : /Expected an integer|Expected an integer greater than or equal to 1/,
  })),
  ...['0', '-1', 'soon'].map((timeout): Case => ({name: `jobs wait --timeout ${timeout}`, argv: ['jobs', 'wait', 'myjob', `--timeout=${timeout}`], exit: 2, message: /Expected an integer/})),
  {name: 'jobs list -o bogus', argv: ['jobs', 'list', '-o', 'bogus'], exit: 2, message: /Expected --output=bogus to be one of/},
  {name: 'jobs dump -f to a folder that does not exist', argv: ['jobs', 'dump', '-f', '{HOME}/no/such/dir/jobs.yaml'], exit: 1, message: /^ERROR: Unable to write '.*jobs\.yaml': no such directory/},
  {name: 'jobs dump -f empty', argv: ['jobs', 'dump', '-f', ''], exit: 1, message: /^ERROR: --to-file must not be empty$/m},
  {name: 'jobs dump -f a directory', argv: ['jobs', 'dump', '-f', '{HOME}'], exit: 1, message: /^ERROR: Unable to write '.*': it is a directory$/m},

  ...['', 'lower_case', 'A', 'MY VAR', '1ABC', 'ABC\u0000D', '.'].map((name): Case => ({name: `envvars create ${JSON.stringify(name)}`, argv: ['envvars', 'create', name, 'value'], exit: 1, message: /^ERROR: Invalid envvar name /})),
  ...['', '.', '..', 'lower'].map((name): Case => ({name: `envvars show ${JSON.stringify(name)}`, argv: ['envvars', 'show', name], exit: 1, message: /^ERROR: Invalid envvar name /})),
  {name: 'envvars delete .', argv: ['envvars', 'delete', '.', '--yes'], exit: 1, message: /^ERROR: Invalid envvar name /},
  {name: 'envvars create: an empty value', argv: ['envvars', 'create', 'MY_VAR', ''], exit: 1, message: /empty/},

  ...['', '.', '..'].map((id): Case => ({name: `build show ${JSON.stringify(id)}`, argv: ['build', 'show', id], exit: 1, message: /^ERROR: Invalid build id /})),
  {name: 'build logs ..', argv: ['build', 'logs', '..'], exit: 1, message: /^ERROR: Invalid build id /},
  {name: 'build start without a URL', argv: ['build', 'start', ''], exit: 1, message: /Please provide a git url/},
  {name: 'build start -e without =', argv: ['build', 'start', 'https://gitlab.wikimedia.org/x', '-e', 'NOEQUALS'], exit: 2, message: /Invalid --envvar 'NOEQUALS'/},
  {name: 'build start -e with a bad name', argv: ['build', 'start', 'https://gitlab.wikimedia.org/x', '-e', '1X=2'], exit: 1, message: /not valid environment variable name/},

  {name: 'webservice start --mem lots', argv: ['webservice', 'start', '--mem', 'lots'], exit: 2, message: /-m\/--mem: lots is not a valid Kubernetes quantity/},
  {name: 'webservice start --cpu -1', argv: ['webservice', 'start', '--cpu=-1'], exit: 2, message: /-c\/--cpu: -1 is not a valid Kubernetes quantity/},
  {name: 'webservice start --replicas 0', argv: ['webservice', 'start', '--replicas', '0'], exit: 2, message: /must be at least 1/},
  {name: 'webservice start --replicas two', argv: ['webservice', 'start', '--replicas', 'two'], exit: 2, message: /invalid int value: 'two'/},
  {name: 'webservice bogus-action', argv: ['webservice', 'bogus-action'], exit: 2, message: /invalid choice: 'bogus-action'/},
  {name: 'webservice logs --last x', argv: ['webservice', 'logs', '--last', 'x'], exit: 2, message: /invalid int value: 'x'/},
]
