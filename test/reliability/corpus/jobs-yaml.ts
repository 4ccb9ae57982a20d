import type {Case} from './types.js'

// `jobs load` files: not YAML, not a list, wrong types, unknown keys, duplicate names, oversized files and
// alias bombs. Whatever is wrong, the whole file is refused before the first request (nothing half-applied).

const LOAD = ['jobs', 'load', '{HOME}/jobs.yaml']
const GOOD = '- {name: good, command: ./good.sh, image: bookworm, schedule: "@daily"}\n'
const PARSE = /^ERROR: Unable to parse yaml file '.*jobs\.yaml'\n/
const INVALID = (detail: RegExp) => new RegExp(`^ERROR: '.*jobs\\.yaml' has 1 invalid job definition; nothing was loaded:\\n {2}.*${detail.source}`)

function file(name: string, text: string | Buffer, message: RegExp, maxLines = 2): Case {
  return {name, argv: LOAD, files: {'jobs.yaml': text}, exit: 1, message, maxLines}
}

/** The classic "billion laughs": each level refers to the previous one ten times. */
function aliasBomb(levels: number): string {
  const lines = ['- &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]']
  for (let i = 1; i < levels; i++) lines.push(`- &l${i} [${Array.from({length: 10}, () => `*l${i - 1}`).join(', ')}]`)
  return lines.join('\n') + '\n'
}

const entries: [string, string, RegExp][] = [
  ['a string entry', '- just a string', /job #1: expected a mapping of job options/],
  ['a list entry', '- [a, b]', /job #1: expected a mapping of job options .* got a list/],
  ['a null entry', '- ', /job #1: expected a mapping of job options/],
  ['an empty mapping', '- {}', /job #1: missing required keys 'name', 'command', 'image'/],
  ['no image', '- {name: a, command: x}', /job #1 \('a'\): missing required key 'image'/],
  ['name is a list', '- {name: [a], command: x, image: bookworm}', /key 'name': expected a string, got '\["a"\]'/],
  ['name is a boolean', '- {name: yes, command: x, image: bookworm}', /key 'name': expected a string, got 'True'/],
  ['command is a mapping', '- {name: a, command: {run: x}, image: bookworm}', /key 'command': expected a string/],
  ['image is null', '- {name: a, command: x, image: null}', /key 'image': expected a string, got an empty value/],
  ['replicas is a word', '- {name: a, command: x, image: bookworm, continuous: true, replicas: two}', /key 'replicas': expected an integer, got 'two'/],
  ['replicas is a fraction', '- {name: a, command: x, image: bookworm, continuous: true, replicas: 1.5}', /key 'replicas': expected an integer, got '1.5'/],
  ['retry is a boolean', '- {name: a, command: x, image: bookworm, retry: yes}', /key 'retry': expected an integer, got 'True'/],
  ['timeout has a unit', '- {name: a, command: x, image: bookworm, schedule: "@daily", timeout: 1h}', /key 'timeout': expected an integer, got '1h'/],
  ['mem is a list', '- {name: a, command: x, image: bookworm, mem: [1Gi]}', /key 'mem': expected a string/],
  ['port is a mapping', '- {name: a, command: x, image: bookworm, continuous: true, port: {number: 80}}', /key 'port': expected a string/],
  ['mem is negative', '- {name: a, command: x, image: bookworm, mem: -1Gi}', /key 'mem': Invalid --mem value '-1Gi'/],
  ['cpu is absurd', '- {name: a, command: x, image: bookworm, cpu: 1e400}', /key 'cpu': expected a string, got 'Infinity'/],
  ['port out of range', '- {name: a, command: x, image: bookworm, continuous: true, port: 70000}', /key 'port': Invalid --port value '70000'/],
  ['an unknown key with a hint', '- {name: a, command: x, image: bookworm, memory: 1Gi}', /key 'memory': unknown key \(did you mean 'mem'\?\)/],
  ['the API spelling of a key', '- {name: a, cmd: x, image: bookworm}', /key 'cmd': unknown key \(did you mean 'command'\?\)/],
  ['an unknown key', '- {name: a, command: x, image: bookworm, colour: blue}', /key 'colour': unknown key/],
  ['a prototype key', '- {name: a, command: x, image: bookworm, __proto__: {}}', /key '__proto__': unknown key/],
  ['a bad name', '- {name: My_Job, command: x, image: bookworm}', /key 'name': Invalid job name 'My_Job'/],
  ['a name of 53 characters', `- {name: ${'a'.repeat(53)}, command: x, image: bookworm}`, /key 'name': Invalid job name/],
  ['a bad schedule', '- {name: a, command: x, image: bookworm, schedule: "* * *"}', /key 'schedule': /],
  ['an impossible minute', '- {name: a, command: x, image: bookworm, schedule: "99 * * * *"}', /key 'schedule': Unable to parse cron expression/],
  ['schedule and continuous', '- {name: a, command: x, image: bookworm, schedule: "@daily", continuous: true}', /Only one of 'continuous' and 'schedule'/],
  ['a port on a one-off job', '- {name: a, command: x, image: bookworm, port: 80}', /--port is only valid for continuous jobs/],
  ['an empty command', '- {name: a, command: "", image: bookworm}', /--command must not be empty/],
  ['a command with a NUL', '- {name: a, command: "x\\0y", image: bookworm}', /--command must not contain NUL characters/],
  ['emails out of the choices', '- {name: a, command: x, image: bookworm, emails: never}', /key 'emails': argument --emails: invalid choice: 'never'/],
  ['mount out of the choices', '- {name: a, command: x, image: bookworm, mount: some}', /key 'mount': argument --mount: invalid choice: 'some'/],
  ['retry out of range', '- {name: a, command: x, image: bookworm, retry: 9}', /key 'retry': argument --retry: invalid choice: 9/],
  ['a python object tag', '- !!python/object/apply:os.system ["rm -rf ~"]', /job #1: expected a mapping of job options .* got a list/],
]

export const JOBS_YAML_CASES: Case[] = [
  file('not YAML: an unclosed quote', '- name: "abc\n  command: x\n', PARSE, 5),
  file('not YAML: a tab for indentation', '- name: a\n\tcommand: b\n', PARSE, 5),
  file('not YAML: an unclosed flow mapping', '[{name: a', PARSE, 5),
  file('not YAML: several documents', `${GOOD}---\n${GOOD}`, PARSE, 5),
  file('not YAML: a key twice in one entry', '- {name: a, name: b, command: x, image: bookworm}\n', PARSE, 5),
  file('not YAML: 5000 levels of nesting', '['.repeat(5000) + ']'.repeat(5000), PARSE, 5),
  file('an alias/anchor expansion bomb', aliasBomb(9), PARSE, 5),
  file('an alias to an anchor that does not exist', '- *nowhere\n', PARSE, 5),
  file('binary garbage', Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x00, 0x0a]), /^ERROR: Unable to (parse yaml file|load) /, 5),
  file('a mapping instead of a list', 'name: a\ncommand: x\nimage: bookworm\n', /^ERROR: Unable to load '.*jobs\.yaml': expected a list of job definitions, got a mapping$/m),
  file('a scalar', 'hello\n', /expected a list of job definitions, got 'hello'/),
  file('a number', '42\n', /expected a list of job definitions, got '42'/),
  file('an empty file', '', /expected a list of job definitions, got an empty document/),
  file('only comments', '# nothing here\n', /expected a list of job definitions, got an empty document/),
  ...entries.map(([name, text, detail]) => file(`entry: ${name}`, `${text}\n`, INVALID(detail))),
  file('duplicate names', `${GOOD}${GOOD}`, /^ERROR: '.*' has 1 invalid job definition; nothing was loaded:\n {2}job #2 \('good'\), key 'name': duplicate job name 'good' \(also job #1\)/),
  file('one bad entry among 1000 good ones', Array.from({length: 1000}, (_, i) => `- {name: job${i}, command: x, image: bookworm, schedule: "@daily"}`).join('\n') + '\n- {name: Bad, command: x, image: bookworm}\n', INVALID(/job #1001 \('Bad'\), key 'name': Invalid job name/)),
  file('three bad entries, each named', '- {name: A, command: x, image: i}\n- {command: x}\n- 7\n', /has 3 invalid job definitions; nothing was loaded:\n {2}job #1 \('A'\).*\n {2}job #2: missing.*\n {2}job #3: expected a mapping/, 4),
  file('a file just over 10 MB', `# ${'x'.repeat(10 * 1024 * 1024)}\n${GOOD}`, /^ERROR: '.*jobs\.yaml' is too large: jobs files are limited to 10 MB$/m),
  {name: 'a file that does not exist', argv: ['jobs', 'load', '{HOME}/missing.yaml'], exit: 1, message: /^ERROR: Unable to read '.*missing\.yaml': no such file$/m},
  {name: 'a directory', argv: ['jobs', 'load', '{HOME}/jobs.d'], files: {'jobs.d': null}, exit: 1, message: /^ERROR: Unable to read '.*jobs\.d': it is a directory$/m},
  {name: '--job that the file does not define', argv: [...LOAD, '--job', 'other'], files: {'jobs.yaml': GOOD}, exit: 1, message: /^ERROR: job 'other' is not defined in '.*jobs\.yaml'$/m},
  {name: 'no file argument', argv: ['jobs', 'load'], exit: 2, message: /Missing 1 required arg/},
]
