// A Kubernetes API stand-in over real HTTPS for `webservice shell`: the pod endpoints and a websocket
// attach endpoint speaking the channel protocol, so the CLI's TLS, auth and streaming are exercised.

import {generateKeyPairSync} from 'node:crypto'
import {createServer, type Server} from 'node:https'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {TLSSocket} from 'node:tls'
import forge from 'node-forge'
import {WebSocketServer, type WebSocket} from 'ws'

type Json = Record<string, any>

export function selfSignedCertificate(): {cert: string; key: string} {
  const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
  const keyPem = privateKey.export({type: 'pkcs8', format: 'pem'}).toString()
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({type: 'spki', format: 'pem'}).toString())
  cert.serialNumber = '01'
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 3_600_000)
  const subject = [{name: 'commonName', value: '127.0.0.1'}]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.setExtensions([{name: 'subjectAltName', altNames: [{type: 7, ip: '127.0.0.1'}]}])
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create())
  return {cert: forge.pki.certificateToPem(cert), key: keyPem}
}

export interface AttachBehaviour {
  /** Phase reported for the pod (Running unless set). */
  phase?: string
  /** Exit code sent on the error channel when stdin closes; undefined = close without a Status. */
  exitCode?: number
  /** Exit code the pod status reports once terminated. */
  terminatedExitCode?: number
  waitingReason?: string
  log?: string
  /** Refuse the websocket upgrade with this HTTP status and a Status body. */
  refuseAttach?: {code: number; message: string}
}

export class KubeStandIn {
  readonly calls: string[] = []
  readonly created: Json[] = []
  readonly attachQueries: URLSearchParams[] = []
  readonly protocols: string[] = []
  /** Common names of the client certificates presented. */
  readonly clientNames: string[] = []
  behaviour: AttachBehaviour = {}
  /** images-v1.yaml of the ConfigMap tf-public/image-config; without it the ConfigMap does not exist. */
  imageConfig?: string
  private server?: Server
  private readonly wss = new WebSocketServer({noServer: true, handleProtocols: (offered) => (offered.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false)})
  private readonly pods = new Map<string, Json>()
  private attachedOnce = false

  async start(): Promise<string> {
    const {cert, key} = selfSignedCertificate()
    this.server = createServer({cert, key, requestCert: true, rejectUnauthorized: false}, (req, res) => this.handle(req, res))
    this.server.on('upgrade', (req: IncomingMessage, socket, head) => {
      this.noteClient(req)
      const url = new URL(req.url ?? '/', 'https://127.0.0.1')
      this.calls.push(`UPGRADE ${url.pathname}`)
      this.attachQueries.push(url.searchParams)
      const refusal = this.behaviour.refuseAttach
      if (refusal) {
        const body = JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', message: refusal.message, code: refusal.code})
        socket.end(`HTTP/1.1 ${refusal.code} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
        return
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws))
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    const address = this.server.address() as {port: number}
    return `https://127.0.0.1:${address.port}`
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }

  get podNames(): string[] {
    return [...this.pods.keys()]
  }

  private noteClient(req: IncomingMessage): void {
    const peer = (req.socket as TLSSocket).getPeerCertificate?.()
    if (peer?.subject?.CN) this.clientNames.push(String(peer.subject.CN))
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.noteClient(req)
    const url = new URL(req.url ?? '/', 'https://127.0.0.1')
    this.calls.push(`${req.method} ${url.pathname}`)
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, {'content-type': type})
      res.end(typeof body === 'string' ? body : JSON.stringify(body))
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/namespaces/tf-public/configmaps/image-config') {
      if (this.imageConfig === undefined) return send(404, {kind: 'Status', status: 'Failure', message: 'configmaps "image-config" not found', reason: 'NotFound', code: 404})
      return send(200, {kind: 'ConfigMap', apiVersion: 'v1', metadata: {name: 'image-config', namespace: 'tf-public'}, data: {'images-v1.yaml': this.imageConfig}})
    }
    const match = /^\/api\/v1\/namespaces\/tool-mytool\/pods(?:\/([^/]+))?(\/log)?$/.exec(url.pathname)
    if (!match) return send(404, {kind: 'Status', status: 'Failure', message: `no route ${url.pathname}`, code: 404})
    const [, name, log] = match
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (req.method === 'POST' && !name) {
        const pod = JSON.parse(Buffer.concat(chunks).toString()) as Json
        this.created.push(pod)
        this.pods.set(pod.metadata.name, pod)
        return send(201, pod)
      }
      const pod = name ? this.pods.get(name) : undefined
      if (!pod) return send(404, {kind: 'Status', status: 'Failure', message: `pods "${name}" not found`, reason: 'NotFound', code: 404})
      if (req.method === 'DELETE') {
        this.pods.delete(name)
        return send(200, pod)
      }
      if (log) return send(200, this.behaviour.log ?? '', 'text/plain')
      return send(200, {...pod, status: this.status()})
    })
  }

  private status(): Json {
    const {phase = 'Running', terminatedExitCode, waitingReason} = this.behaviour
    if (waitingReason) return {phase: 'Pending', containerStatuses: [{state: {waiting: {reason: waitingReason, message: 'Back-off pulling image'}}}]}
    if (terminatedExitCode !== undefined && (this.attachedOnce || phase !== 'Running')) {
      return {phase: terminatedExitCode === 0 ? 'Succeeded' : 'Failed', containerStatuses: [{state: {terminated: {exitCode: terminatedExitCode}}}]}
    }
    return {phase}
  }

  /** Echo stdin to stdout; when stdin is closed, report the exit code and hang up. */
  private attach(ws: WebSocket): void {
    this.attachedOnce = true
    this.protocols.push(ws.protocol)
    ws.send(Buffer.from([2]))
    ws.on('message', (data: Buffer) => {
      const channel = data[0]
      if (channel === 0) ws.send(Buffer.concat([Buffer.from([1]), data.subarray(1)]))
      if (channel === 255 && data[1] === 0) {
        const {exitCode} = this.behaviour
        if (exitCode !== undefined) {
          const status = exitCode === 0
            ? {metadata: {}, status: 'Success'}
            : {metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit status ${exitCode}`, reason: 'NonZeroExitCode', details: {causes: [{reason: 'ExitCode', message: String(exitCode)}]}}
          ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(status))]))
        }
        ws.close(1000)
      }
    })
  }
}
