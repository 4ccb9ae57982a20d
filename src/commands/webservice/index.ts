import {homedir} from 'node:os'
import {basename} from 'node:path'

import {Errors, Flags} from '@oclif/core'

import {UserError} from '../../api/errors.js'
import {KubernetesClient, kubernetesConnection} from '../../api/kubernetes.js'
import {BaseCommand} from '../../base-command.js'
import {userAgent} from '../../config/context.js'
import {lookupToolUid} from '../../config/uid.js'
import {takeOverInterrupt} from '../../ui/interrupt.js'
import {renderPlain} from '../../ui/table.js'
import * as actions from '../../webservice/actions.js'
import {type Action, checkLast, cliValues, resolvePositionals, splitExtra, UsageError} from '../../webservice/args.js'
import type {ActionIO, Backend} from '../../webservice/backend.js'
import {loadWebserviceConfig} from '../../webservice/config.js'
import {IMAGE_CONFIG_NAME, IMAGE_CONFIG_NAMESPACE} from '../../webservice/image-config.js'
import {JobsApiBackend} from '../../webservice/jobs-backend.js'
import {KubernetesBackend} from '../../webservice/kube-backend.js'
import {Manifest} from '../../webservice/manifest.js'
import {renderYamlDocuments} from '../../ui/manifests.js'
import {typeRows, typesJson} from '../../webservice/output.js'
import {preflight} from '../../webservice/preflight.js'
import {checksType, type Resolved, resolve} from '../../webservice/resolve.js'
import {runShell} from '../../webservice/shell.js'
import {loadTemplate, unknownKeysWarning} from '../../webservice/template.js'
import {openTerminal} from '../../webservice/terminal.js'
import {loadTypeTable} from '../../webservice/type-table.js'
import {EMBEDDED_TYPES, isKnownType, listTypes, type TypeTable} from '../../webservice/wstypes.js'

const KUBE = 'KUBERNETES BACKEND'
// The cluster's type table is optional knowledge: one that does not answer costs the user at most this
// long to connect plus this long for the answer, once, never retried.
const TYPES_TIMEOUT_SECONDS = 3
const LOGS = 'LOG VIEWER'

export default class Webservice extends BaseCommand {
  static override summary = "Start, stop and inspect your tool's web service."
  static override description = `Both argument orders work: the upstream '[TYPE] ACTION' (webservice python3.11 start) and 'ACTION [TYPE]' (webservice start python3.11).

ACTION is one of: start, stop, status, restart, shell, logs, types.
TYPE defaults to the type in service.manifest in the tool's home ($TOOLFORGE_TOOL_HOME, else $HOME), else php7.4; 'types' lists them all.
Arguments after '--' are passed to the type (appended to its command), or are the command 'shell' runs.

Defaults can be kept in a service.template (in ~, ~/www/python/src, ~/www/js or ~/public_html) with the keys backend, type, cpu, mem, replicas, buildservice-image, extra_args, mount and health-check-path; options on the command line win.

The 'jobs-api' backend (default) runs the webservice as the continuous job 'webservice' through the jobs API; the 'kubernetes' backend creates the objects itself. The backend in use is remembered in service.manifest.

Online documentation: https://wikitech.wikimedia.org/wiki/Help:Toolforge/Web`

  static override usage = ['webservice [TYPE] ACTION [FLAGS] [-- EXTRA...]', 'webservice ACTION [TYPE] [FLAGS] [-- EXTRA...]']
  static override examples = [
    '<%= config.bin %> webservice php8.2 start',
    '<%= config.bin %> webservice start python3.11 --mem 1Gi --cpu 0.5',
    '<%= config.bin %> webservice status',
    '<%= config.bin %> webservice logs -f',
    '<%= config.bin %> webservice python3.11 shell -- python3 -m venv ~/www/python/venv',
    '<%= config.bin %> webservice jdk17 start -- java -jar app.jar',
    '<%= config.bin %> webservice types',
    '<%= config.bin %> webservice start --backend=kubernetes --dry-run',
  ]

  static override strict = false
  static override enableJsonFlag = true

  static override flags = {
    backend: Flags.string({summary: 'Where the webservice runs: jobs-api (default) or kubernetes.', helpValue: 'jobs-api|kubernetes'}),
    template: Flags.string({summary: 'service.template to use instead of the one found in your home.', helpValue: 'FILE'}),
    'buildservice-image': Flags.string({summary: "Image of the 'buildservice' type. Default: tool-<tool>/tool-<tool>:latest.", helpValue: 'IMAGE'}),
    mem: Flags.string({char: 'm', summary: 'Memory limit, a Kubernetes quantity (512Mi, 1.5Gi).', helpValue: 'MEMORY', helpGroup: KUBE}),
    cpu: Flags.string({char: 'c', summary: 'CPU limit, a Kubernetes quantity (500m, 0.5, 2).', helpValue: 'CPU', helpGroup: KUBE}),
    replicas: Flags.string({char: 'r', summary: 'Number of pod replicas.', helpValue: 'REPLICAS', helpGroup: KUBE}),
    mount: Flags.string({summary: 'Mount NFS (home, project dirs): all or none.', helpValue: 'all|none', helpGroup: KUBE}),
    'health-check-path': Flags.string({summary: 'HTTP path probed to decide the webservice is up and healthy.', helpValue: 'PATH', helpGroup: KUBE}),
    uid: Flags.integer({summary: 'uid of the tool account (default: looked up from the system).', min: 1, helpGroup: KUBE}),
    'dry-run': Flags.boolean({summary: 'start/restart: print what would be sent (objects or request body) and change nothing.'}),
    timeout: Flags.integer({summary: 'Seconds start and restart wait for the webservice to run.', default: 120, min: 0}),
    follow: Flags.boolean({char: 'f', summary: 'Stream new log lines.', helpGroup: LOGS}),
    last: Flags.string({char: 'l', summary: 'Number of recent log lines to show.', helpValue: 'LAST', helpGroup: LOGS}),
    release: Flags.string({hidden: true}),
    canonical: Flags.boolean({hidden: true}),
  }

  async run(): Promise<unknown> {
    // parse() replaces this.argv with what it parsed, which stops at `--`; the mismatch hint needs it all.
    const typed = [...this.argv]
    const {before, extra} = splitExtra(typed)
    const {flags, argv} = await this.parse(Webservice, before)
    // Types here only choose the wording of a missing-ACTION error: the built-in list is enough for that.
    const positionals = resolvePositionals(argv as string[], extra, (word) => isKnownType(EMBEDDED_TYPES, word))
    const {action} = positionals
    const json = this.jsonEnabled()

    if (action === 'types') return this.types(json)
    if (flags['dry-run'] && action !== 'start' && action !== 'restart') throw new UsageError('--dry-run applies to start and restart only')

    const cli = cliValues(flags, positionals)
    const last = flags.last === undefined ? undefined : checkLast(flags.last)

    const home = process.env.TOOLFORGE_TOOL_HOME || homedir()
    const template = loadTemplate(home, flags.template)
    const ctx = this.toolContext()
    const manifest = Manifest.load(home)
    // Only what checks TYPE waits for the table, so a bare stop, status or logs never does. A dry run
    // reads it too, so that it shows the image a real start would use; every way it can fail (offline,
    // no Kubernetes API as in the sandbox) falls back to the built-in list within the short timeout.
    const types = checksType(action, cli, template) ? await this.typeTable() : EMBEDDED_TYPES
    const resolved = resolve({action, tool: ctx.tool, cli, template, manifest, config: loadWebserviceConfig(), types, prog: this.prog(), argv: typed})
    const warning = template && unknownKeysWarning(template)
    if (warning) this.printer.warn(warning)
    for (const notice of resolved.notices) process.stderr.write(`${notice}\n`)

    const io = this.io(json)
    if (action === 'shell') return this.shell(resolved, flags.uid)
    const backend =
      resolved.backend === 'kubernetes'
        ? new KubernetesBackend(this.kubeClient(), {tool: ctx.tool, uid: this.uidLookup(ctx.tool, flags.uid), types})
        : new JobsApiBackend(this.jobsClient(), ctx.tool, types)

    if (flags['dry-run']) {
      // A preview should still say what a real start would stop at, without stopping itself.
      try {
        preflight(resolved.type?.wstype, home)
      } catch (error) {
        this.printer.warn((error as Error).message)
      }
      const documents = await backend.plan(resolved)
      if (json) return documents
      this.print(renderYamlDocuments(documents))
      return documents
    }

    const actionCtx = {backend, resolved, manifest, io, home, timeoutSeconds: flags.timeout, prog: this.prog()}
    return this.dispatch(action, actionCtx, {follow: flags.follow, last, json})
  }

  private async dispatch(action: Exclude<Action, 'types' | 'shell'>, ctx: actions.ActionContext, logOpts: {follow: boolean; last?: number; json: boolean}): Promise<unknown> {
    switch (action) {
      case 'start': {
        return actions.start(ctx)
      }
      case 'stop': {
        return actions.stop(ctx)
      }
      case 'restart': {
        return actions.restart(ctx)
      }
      case 'status': {
        return actions.status(ctx)
      }
      case 'logs': {
        // Ctrl-C is how following ends: exit 0, as `jobs logs -f` and `build logs -f`.
        const giveBackInterrupt = logOpts.follow ? takeOverInterrupt(() => process.exit(0)) : undefined
        try {
          await actions.logs(ctx, {...logOpts, write: (line) => process.stdout.write(`${line}\n`)})
        } finally {
          giveBackInterrupt?.()
        }

        return undefined
      }
    }
  }

  private async types(json: boolean): Promise<unknown> {
    let tool = '<tool>'
    try {
      tool = this.toolContext().tool
    } catch {
      // Listing types needs no account; the buildservice image just shows a placeholder.
    }
    const types = listTypes(await this.typeTable(), tool, loadWebserviceConfig().buildserviceRepository)
    if (!json) this.print(renderPlain(['TYPE', 'IMAGE', 'STATE'], typeRows(types)))
    return {types: typesJson(types)}
  }

  private async shell(resolved: Resolved, uidFlag: number | undefined): Promise<unknown> {
    const ctx = this.toolContext()
    const uid = await this.uidLookup(ctx.tool, uidFlag)()
    const terminal = openTerminal()
    let code: number
    try {
      code = await runShell({
        client: this.kubeClient(),
        resolved,
        uid,
        tty: terminal.tty,
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        size: terminal.size,
        onResize: terminal.onResize,
        signal: terminal.signal,
        warn: (message) => this.printer.warn(message),
      })
    } finally {
      terminal.restore()
    }
    // kubectl's exit code was upstream's: the shell's command decides ours.
    if (code !== 0) throw new Errors.ExitError(code)
    return undefined
  }

  /**
   * Upstream sent nearly everything to stderr (Q-WS-12); here results and progress are on stdout and
   * problems on stderr, except under --json, where stdout is kept for the JSON document.
   */
  private io(json: boolean): ActionIO {
    const out = json ? process.stderr : process.stdout
    return {
      progress: (text) => out.write(text),
      result: (line) => out.write(`${line}\n`),
      notice: (text) => process.stderr.write(`${text}\n`),
      warn: (message) => this.printer.warn(message),
    }
  }

  private prog(): string {
    return basename(process.argv[1] ?? '') === 'webservice' ? 'webservice' : `${this.config.bin} webservice`
  }

  /** The tool's Kubernetes API client; `limits` replace the configured timeouts and retries where given. */
  private kubeClient(limits: {seconds?: number; retries?: number} = {}): KubernetesClient {
    const ctx = this.toolContext()
    const envInt = (name: string) => (/^\d+$/.test(process.env[name] ?? '') ? Number(process.env[name]) : undefined)
    const connection = kubernetesConnection(ctx.kube, userAgent(this.config.version, ctx.tool))
    return new KubernetesClient(limits.seconds === undefined ? connection : {...connection, timeoutSeconds: limits.seconds}, {
      debug: this.debugSink(),
      retries: limits.retries ?? envInt('TOOLFORGE_RETRIES'),
      retryBaseMs: envInt('TOOLFORGE_RETRY_BASE_MS'),
      connectTimeoutSeconds: limits.seconds,
    })
  }

  /**
   * The cluster's types (ConfigMap tf-public/image-config, read with the tool's credentials as upstream
   * does), else the built-in ones; `--debug` says which and why.
   */
  private typeTable(): Promise<TypeTable> {
    const read = async () => this.kubeClient({seconds: TYPES_TIMEOUT_SECONDS, retries: 0}).configMap(IMAGE_CONFIG_NAMESPACE, IMAGE_CONFIG_NAME)
    return loadTypeTable(read, (line) => this.printer.debug(line))
  }

  private debugSink(): ((line: string) => void) | undefined {
    return this.debugEnabled() ? (line) => this.printer.debug(line) : undefined
  }

  /** The tool uid for securityContext, looked up once and only when objects are generated. */
  private uidLookup(tool: string, given: number | undefined): () => Promise<number> {
    let cached: Promise<number> | undefined
    return () => {
      cached ??= (async () => {
        if (given !== undefined) return given
        const uid = await lookupToolUid(tool)
        if (uid === undefined) {
          throw new UserError(`Unable to find the uid of the tool account of '${tool}'`, {
            details: "Run this as the tool ('become <tool>'), or give it with --uid.",
          })
        }
        return uid
      })()
      return cached
    }
  }
}
