import type {Case} from './types.js'

// Config files (config-auth.md §2): a broken one is named, with where it is broken; it has nothing to do
// with `become`, so the hint is not given.

function config(name: string, text: string, message: RegExp, path = '.toolforge.yaml'): Case {
  // The test account sets TOOL_TOOLFORGE_API_URL, which would outrank the file's api_gateway.url.
  return {name, argv: ['jobs', 'list'], files: {[path]: text}, env: {TOOL_TOOLFORGE_API_URL: ''}, exit: 1, message}
}

const PARSE = (file: string) => new RegExp(`^ERROR: Unable to parse config file .*${file.replaceAll('.', '\\.')} \\(line \\d+, column \\d+\\)$`, 'm')

export const CONFIG_CASES: Case[] = [
  config('~/.toolforge.yaml: not YAML', 'jobs:\n  timeout: [60\n', PARSE('.toolforge.yaml')),
  config('~/.toolforge.yaml: a tab for indentation', 'jobs:\n\ttimeout: 60\n', PARSE('.toolforge.yaml')),
  config('~/.toolforge.yaml: a key twice', 'jobs: {}\njobs: {}\n', PARSE('.toolforge.yaml')),
  config('~/.toolforge.yaml: an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({length: 8}, (_, i) => `l${i}: &l${i} [${Array(10).fill(i === 0 ? '*a' : `*l${i - 1}`).join(', ')}]`).join('\n')}\n`, /^ERROR: Unable to parse config file .*\.toolforge\.yaml/m),
  config('~/.toolforge.yaml: 5000 levels of nesting', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, /^ERROR: Unable to parse config file .*\.toolforge\.yaml/m),
  config('~/.toolforge.yaml: a list', '- jobs\n', /^ERROR: Unable to parse config file .*\.toolforge\.yaml: not a mapping$/m),
  config('~/.toolforge.yaml: a scalar', 'timeout\n', /^ERROR: Unable to parse config file .*: not a mapping$/m),
  config('$XDG_CONFIG_HOME/toolforge.yaml: not YAML', 'api_gateway: {url: "https://x\n', PARSE('toolforge.yaml'), '.config/toolforge.yaml'),
  {name: '$TOOLFORGE_CONFIG: a directory', argv: ['jobs', 'list'], files: {'conf.d': null}, env: {TOOLFORGE_CONFIG: '{HOME}/conf.d'}, exit: 1, message: /^ERROR: Unable to read config file .*conf\.d \(EISDIR\)$/m},
  config('api_gateway.url: not a URL', 'api_gateway:\n  url: not a url\n', /^ERROR: Invalid API gateway URL 'not a url' \(api_gateway\.url or TOOL_TOOLFORGE_API_URL\): expected https:\/\/HOST\[:PORT\]$/m),
  config('api_gateway.url: another scheme', 'api_gateway:\n  url: ftp://gateway.example\n', /^ERROR: Invalid API gateway URL 'ftp:\/\/gateway\.example'/m),
  {name: '$TOOL_TOOLFORGE_API_URL: not a URL', argv: ['build', 'list'], env: {TOOL_TOOLFORGE_API_URL: 'https//missing-colon'}, exit: 1, message: /^ERROR: Invalid API gateway URL 'https\/\/missing-colon'/m},
  config('api_gateway.ca_file: a directory', 'api_gateway:\n  ca_file: /tmp\n', /^ERROR: Unable to read CA file \/tmp \(EISDIR\)$/m),
  {name: '$TOOLFORGE_CA_FILE: missing', argv: ['jobs', 'list'], env: {TOOLFORGE_CA_FILE: '{HOME}/ca.pem'}, exit: 1, message: /^ERROR: Unable to read CA file .*ca\.pem \(ENOENT\)$/m},
]
