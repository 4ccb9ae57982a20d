import {quoteShell} from './shell.js'

interface StartedSandbox {
  url: string
  tool: string
  pid: number
  dataDir: string
  logFile: string
}

/** What `sandbox start` tells a person to do next. */
export function sandboxNextSteps(info: StartedSandbox, dataDirFlag?: string): string {
  const env = dataDirFlag ? `toolforge sandbox env --data-dir ${quoteShell(dataDirFlag)}` : 'toolforge sandbox env'
  return [
    `Sandbox running at ${info.url} (tool ${info.tool}, pid ${info.pid})`,
    `State and logs: ${info.dataDir} (server log: ${info.logFile})`,
    'Commands run on this host as local processes, not in containers.',
    '',
    'Next, point this shell at it and run a job:',
    `  eval "$(${env})"`,
    '  toolforge jobs run hello --command "echo hello from the sandbox" --image python3.11 --no-filelog --wait',
    '  toolforge jobs logs hello',
  ].join('\n')
}
