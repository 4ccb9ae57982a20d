import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {get} from 'node:http'
import {join} from 'node:path'

import {expectExit, sandboxWithoutJobs} from '../helpers/sandbox-e2e.js'

// `toolforge webservice` with the default jobs-api backend against `toolforge sandbox`: the webservice
// is the published continuous job `webservice`, and the sandbox stands in for the image's web server
// by serving the tool's ~/public_html on a local port.

function httpGet(url: string): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')}))
    })
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${url} timed out`)))
    req.on('error', reject)
  })
}

describe('e2e sandbox: webservice (jobs-api backend)', function () {
  this.timeout(60_000)
  const sb = sandboxWithoutJobs()
  let env: Record<string, string>
  const page = `<h1>e2e ${randomBytes(6).toString('hex')}</h1>\n`

  before(() => {
    // On Toolforge, after `become`, HOME is the tool home. `sandbox env` leaves HOME alone (here a
    // scratch dir of the CLI user) and names the tool home in TOOLFORGE_TOOL_HOME, which webservice uses.
    expect(sb.env.TOOLFORGE_TOOL_HOME).to.equal(sb.toolHome)
    env = {}
    mkdirSync(join(sb.toolHome, 'public_html'), {recursive: true})
    writeFileSync(join(sb.toolHome, 'public_html', 'index.html'), page)
  })

  it('starts a php8.2 webservice, reports it, serves public_html over HTTP, and stops it', async () => {
    const started = expectExit(await sb.tf(['webservice', 'php8.2', 'start'], {env}), 0)
    // The sandbox says where it publishes (its stand-in for https://tf-test.toolforge.org): a local port.
    const announced = /^Starting webservice\.*\nYour webservice is available at (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(started.stdout)
    expect(announced, started.stdout).to.not.equal(null)
    expect(started.stderr).to.include("WARNING: No explicit backend provided.\n  Using default of 'jobs-api'")
    const manifest = readFileSync(join(sb.toolHome, 'service.manifest'), 'utf8')
    expect(manifest).to.match(/^backend: jobs-api$/m).and.match(/^web: php8\.2$/m)
    expect(existsSync(join(sb.home, 'service.manifest'))).to.equal(false)

    const [status, show] = await Promise.all([sb.tf(['webservice', 'status'], {env}), sb.tf(['jobs', 'show', 'webservice', '--json'], {env})])
    const job = JSON.parse(expectExit(show, 0).stdout) as Record<string, any>
    expect(job).to.include({name: 'webservice', job_type: 'continuous', imagename: 'php8.2', port: 8000, publish: '/'})
    const url = job.publish_url as string
    expect(url).to.equal(announced![1])
    expect(expectExit(status, 0).stdout).to.equal(`Your webservice of type php8.2 is running on backend jobs-api\nPublic URL: ${url}\n`)
    expect(job.status_long).to.include(`Published at ${url}.`)

    expect(await httpGet(`${url}/`)).to.deep.equal({status: 200, body: page})
    expect(await httpGet(`${url}/index.html`)).to.deep.equal({status: 200, body: page})
    expect((await httpGet(`${url}/no-such-page.html`)).status).to.equal(404)

    const again = await sb.tf(['webservice', 'php8.2', 'start'], {env})
    expectExit(again, 1)
    expect(again.stderr).to.include('ERROR: Your job is already running\n')

    const stopped = expectExit(await sb.tf(['webservice', 'stop'], {env}), 0)
    expect(stopped.stdout).to.match(/^Stopping webservice\.*\n$/)
    const [after, list] = await Promise.all([sb.tf(['webservice', 'status'], {env}), sb.tf(['jobs', 'list', '-o', 'name'], {env})])
    expect(expectExit(after, 0).stdout).to.equal('Your webservice is not running\n')
    expect(expectExit(list, 0).stdout).to.not.match(/^webservice$/m)
    // Nothing answers on the published port any more.
    const error = await httpGet(`${url}/`).then(() => undefined, (e: NodeJS.ErrnoException) => e)
    expect(error?.code).to.equal('ECONNREFUSED')
    expect(readFileSync(join(sb.toolHome, 'service.manifest'), 'utf8')).to.not.match(/^web:/m)
  })
})
