import type {Case} from './types.js'

// Broken credentials: a missing kubeconfig is the usual "forgot `become`" hint; one that exists but is
// broken is named, with what is wrong in it. Key material never appears in the message.

const BECOME = /^ERROR: Failed to load configuration, did you forget to run 'become <mytool>'\?$/m
const FAILED = (reason: RegExp) => new RegExp(`^ERROR: Failed to load configuration: .*${reason.source}`, 'm')
const CERTS = 'client-certificate: ../.toolskube/client.crt, client-key: ../.toolskube/client.key'

function kubeconfig(opts: {current?: string; context?: string; user?: string; cluster?: string} = {}): string {
  return [
    'apiVersion: v1',
    `current-context: ${opts.current ?? 'toolforge'}`,
    `clusters: [{name: toolforge, cluster: {${opts.cluster ?? 'server: "https://k8s.example.test:6443"'}}}]`,
    `contexts: [{name: toolforge, context: {${opts.context ?? 'cluster: toolforge, namespace: tool-mytool, user: tf-mytool'}}}]`,
    `users: [{name: tf-mytool, user: {${opts.user ?? CERTS}}}]`,
    '',
  ].join('\n')
}

function broken(name: string, text: string | Buffer, message: RegExp): Case {
  return {name, argv: ['jobs', 'list'], files: {'.kube/config': text}, exit: 1, message}
}

const b64 = (text: string) => Buffer.from(text).toString('base64')

export const KUBECONFIG_CASES: Case[] = [
  {name: 'missing ($KUBECONFIG names nothing)', argv: ['jobs', 'list'], env: {KUBECONFIG: '{HOME}/nope'}, exit: 1, message: BECOME},
  {name: 'missing (the first of a $KUBECONFIG list)', argv: ['jobs', 'show', 'x'], env: {KUBECONFIG: '{HOME}/nope:{HOME}/.kube/config'}, exit: 1, message: BECOME},
  {name: 'a directory', argv: ['jobs', 'list'], files: {kc: null}, env: {KUBECONFIG: '{HOME}/kc'}, exit: 1, message: FAILED(/Unable to read kubeconfig .*kc \(EISDIR\)$/)},
  broken('not YAML', 'clusters: [{{', FAILED(/Unable to parse kubeconfig /)),
  broken('binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x5b, 0x7b, 0x01]), FAILED(/(Unable to parse|Invalid) kubeconfig /)),
  broken('a list', '- a\n- b\n', FAILED(/Invalid kubeconfig .*: not a mapping$/)),
  broken('a scalar', 'toolforge\n', FAILED(/Invalid kubeconfig .*: not a mapping$/)),
  broken('empty', '', FAILED(/Invalid kubeconfig .*: not a mapping$/)),
  broken('an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({length: 8}, (_, i) => `l${i}: &l${i} [${Array(10).fill(i === 0 ? '*a' : `*l${i - 1}`).join(', ')}]`).join('\n')}\n`, FAILED(/Unable to parse kubeconfig /)),
  broken('no current-context', kubeconfig().replace(/^current-context: .*\n/m, ''), FAILED(/Invalid kubeconfig .*: no current-context$/)),
  broken('a current-context that does not exist', kubeconfig({current: 'elsewhere'}), FAILED(/Invalid kubeconfig .*: context 'elsewhere' not found$/)),
  broken('contexts that are not mappings', kubeconfig().replace(/^contexts: .*$/m, 'contexts: [toolforge, 42]'), FAILED(/context 'toolforge' not found$/)),
  broken('a namespace that is not a tool', kubeconfig({context: 'cluster: toolforge, namespace: default, user: tf-mytool'}), BECOME),
  broken('no namespace', kubeconfig({context: 'cluster: toolforge, user: tf-mytool'}), BECOME),
  broken('a certificate file that is not there', kubeconfig({user: 'client-certificate: ../.toolskube/gone.crt, client-key: ../.toolskube/client.key'}), FAILED(/Unable to read client-certificate .*gone\.crt \(ENOENT\)$/)),
  broken('a key file that is not there', kubeconfig({user: 'client-certificate: ../.toolskube/client.crt, client-key: /nonexistent/client.key'}), FAILED(/Unable to read client-key \/nonexistent\/client\.key \(ENOENT\)$/)),
  {name: 'a certificate path that is a directory', argv: ['jobs', 'list'], files: {'.kube/config': kubeconfig({user: 'client-certificate: ../certdir, client-key: ../.toolskube/client.key'}), certdir: null}, exit: 1, message: FAILED(/Unable to read client-certificate .*certdir \(EISDIR\)$/)},
  broken('inline certificate data that is not base64', kubeconfig({user: 'client-certificate-data: "%%% not base64 %%%", client-key-data: "x"'}), FAILED(/Invalid kubeconfig .*: client-certificate-data is not base64$/)),
  broken('inline key data that is base64 but no PEM', kubeconfig({user: `client-certificate: ../.toolskube/client.crt, client-key-data: ${b64('just some bytes')}`}), FAILED(/client-key-data does not contain a PEM block$/)),
  broken('empty inline key data', kubeconfig({user: 'client-certificate: ../.toolskube/client.crt, client-key-data: ""'}), FAILED(/client-key-data is empty$/)),
  broken('cluster CA data that is not base64', kubeconfig({cluster: 'server: "https://k8s.example.test:6443", certificate-authority-data: "not*base64"'}), FAILED(/certificate-authority-data is not base64$/)),
  broken('no credentials at all', kubeconfig({user: ''}), FAILED(/Either token or both client-cert and client-key/)),
  broken('a certificate without its key', kubeconfig({user: 'client-certificate: ../.toolskube/client.crt'}), FAILED(/Either token or both client-cert and client-key/)),
  broken('an empty token', kubeconfig({user: 'token: ""'}), FAILED(/Either token or both client-cert and client-key/)),
  broken('users that is not a list', kubeconfig().replace(/^users: .*$/m, 'users: {tf-mytool: {token: x}}'), FAILED(/Either token or both client-cert and client-key/)),
]
