import {Command, Errors, Flags, type Interfaces} from '@oclif/core'

import {EXIT_INTERRUPTED, EXIT_SERVER_ERROR, ReportedFailure, ServerError, ToolforgeError} from './api/errors.js'
import type {HttpClient} from './api/http.js'
import {JobsClient} from './api/jobs.js'
import {createApiClient, keyIsExposed, loadToolContext, type ToolContext} from './config/context.js'
import type {ApiName} from './config/files.js'
import {inSandbox} from './sandbox/marker.js'
import {createPrinter, type Printer} from './ui/messages.js'
import {asUsageError} from './usage-error.js'

const REPORT_LINE = 'Please report this issue to the Toolforge admins if it persists: https://w.wiki/6Zuu'

/** oclif's FlagOutput/ArgOutput, which its index does not export. */
type ParsedValues = {[name: string]: any}

/**
 * Every command inherits: --debug, printing rules (stdout = data, stderr = messages), the exit-code
 * policy (0 ok, 1 user error, 2 server trouble, 130 interrupted), and lazily built API clients.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({
      summary: 'Show debug output (requests, timings, error details); never prints secrets.',
      env: 'TOOLFORGE_DEBUG',
      helpGroup: 'GLOBAL',
    }),
  }

  private printerInstance?: Printer
  private context?: ToolContext
  private sigintHandler?: () => void

  protected get printer(): Printer {
    this.printerInstance ??= createPrinter({json: this.stdoutCarriesData(), debug: this.debugEnabled()})
    return this.printerInstance
  }

  /**
   * True when stdout is data a script consumes (JSON, a YAML dump, a raw value): informational
   * messages then go to stderr so they cannot corrupt it.
   */
  protected stdoutCarriesData(): boolean {
    return this.jsonEnabled()
  }

  protected debugEnabled(): boolean {
    const env = process.env.TOOLFORGE_DEBUG
    return this.argv.includes('--debug') || env === '1' || env === 'true'
  }

  override async init(): Promise<void> {
    await super.init()
    // Ctrl-C: stop promptly with the conventional 130, without a stack trace.
    this.sigintHandler = () => {
      // Under --json the error line a script parses, as for any other failure.
      process.stderr.write(this.jsonEnabled() ? JSON.stringify({error: {message: 'interrupted', exit_code: EXIT_INTERRUPTED}}) + '\n' : '\n')
      process.exit(EXIT_INTERRUPTED)
    }

    process.once('SIGINT', this.sigintHandler)
  }

  protected override async parse<F extends ParsedValues, B extends ParsedValues, A extends ParsedValues>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv)
    } catch (error) {
      throw asUsageError(error)
    }
  }

  override async finally(error: Error | undefined): Promise<unknown> {
    if (this.sigintHandler) process.removeListener('SIGINT', this.sigintHandler)
    return super.finally(error)
  }

  protected toolContext(): ToolContext {
    if (!this.context) {
      this.context = loadToolContext()
      if (keyIsExposed(this.context.kube)) {
        this.printer.warn(`the private key ${this.context.kube.keyFile} is readable by other users; run 'chmod 600 ${this.context.kube.keyFile}'`)
      }

      if (!this.context.ca) this.printer.debug('no CA configured (api_gateway.ca_file / TOOLFORGE_CA_FILE): the server certificate is NOT verified')
      // Listing them reads every client's file, which only --debug needs.
      if (this.debugEnabled() && this.context.config.sources.length > 0) this.printer.debug(`config files: ${this.context.config.sources.join(', ')}`)
    }

    return this.context
  }

  protected apiClient(api: ApiName): HttpClient {
    return createApiClient(this.toolContext(), api, this.config.version, {
      debug: this.debugEnabled() ? (line) => this.printer.debug(line) : undefined,
      onMessages: (messages) => this.printer.messages(messages),
    })
  }

  protected jobsClient(): JobsClient {
    return new JobsClient(this.apiClient('jobs'))
  }

  /** Plain text to stdout (human output). */
  protected print(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : text + '\n')
  }

  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    // oclif's own exits (help, --version) pass through untouched.
    if (error instanceof Errors.ExitError) throw error
    if (error instanceof ReportedFailure) {
      if (this.jsonEnabled()) {
        this.logJson(error.result)
        process.stderr.write(JSON.stringify({error: {message: error.message, exit_code: error.exitCode}}) + '\n')
      }

      throw new Errors.ExitError(error.exitCode)
    }

    const exitCode = this.report(error)
    throw new Errors.ExitError(exitCode)
  }

  /** Prints an error the way the jobs CLI does (`ERROR: …` on stderr) and returns the exit code. */
  private report(error: Error & {oclif?: {exit?: number | false}}): number {
    const debug = this.debugEnabled()
    let exitCode: number
    let message = error.message
    const extra: string[] = []
    if (error instanceof ToolforgeError) {
      exitCode = error.exitCode
      if (error.details) extra.push(error.details)
      if (error.display) extra.push(error.display)
      if (debug && error.debugDetails) extra.push(error.debugDetails)
      if (debug && error.cause instanceof Error) extra.push(`caused by: ${error.cause.message}`)
    } else if (error instanceof Errors.CLIError || error.oclif) {
      // Flag/argument parsing: a usage error, exit 2 like upstream's argparse (Q-ERR-02, kept).
      exitCode = 'parse' in error || typeof error.oclif?.exit !== 'number' ? EXIT_SERVER_ERROR : error.oclif.exit
      message = message.replace(/^Error: /, '').replace(/\n?See more help with --help$/, '')
      extra.push(`See '${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''} --help'.`)
    } else {
      exitCode = EXIT_SERVER_ERROR
      message = `An internal error occurred while executing this command: ${error.message}`
      extra.push(debug && error.stack ? error.stack : 'Run again with --debug for details.')
    }

    if (this.jsonEnabled()) {
      const status = error instanceof ToolforgeError ? error.status : undefined
      // The details (which job definitions are invalid, which policy rules a pod breaks) are what a
      // script needs to report the failure, so they are kept, as one string like the message.
      const details = error instanceof ToolforgeError ? error.details?.replace(/\n$/, '') : undefined
      // "job 'x' failed:" introduces the table people see; the JSON has the job itself on stdout.
      if (error instanceof ToolforgeError && error.display && !details) message = message.replace(/:$/, '')
      process.stderr.write(JSON.stringify({error: {message, exit_code: exitCode, ...(status ? {status} : {}), ...(details ? {details} : {})}}) + '\n')
      return exitCode
    }

    this.printer.error(message)
    for (const text of extra) process.stderr.write(text.endsWith('\n') ? text : text + '\n')
    // Only for service trouble: a --wait timeout also exits 2 but is nothing to report, nor is a local sandbox's.
    if (error instanceof ServerError && !inSandbox()) this.printer.error(REPORT_LINE)
    return exitCode
  }
}
