import {connect, createServer, type Server, type Socket} from 'node:net'

/** A free TCP port on 127.0.0.1, for a replica's $PORT. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    server.once('error', onError)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}

/**
 * The sandbox's stand-in for a ClusterIP Service (and, for published jobs, the HTTPRoute): a TCP
 * listener on 127.0.0.1 spreading connections over the ready replicas' host ports.
 */
export class ServiceProxy {
  port = 0
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private next = 0

  constructor(private readonly backends: () => number[]) {
    this.server = createServer((client) => this.forward(client))
  }

  /** Listens on the first of `candidates` that is free, else on any free port. */
  async listen(candidates: Array<number | null | undefined>): Promise<number> {
    for (const candidate of candidates) {
      if (!candidate || candidate < 1024) continue
      try {
        this.port = await listen(this.server, candidate)
        return this.port
      } catch {
        // Taken: try the next one.
      }
    }
    this.port = await listen(this.server, 0)
    return this.port
  }

  private forward(client: Socket): void {
    this.sockets.add(client)
    client.on('close', () => this.sockets.delete(client))
    const ports = this.backends()
    if (ports.length === 0) {
      client.destroy()
      return
    }
    const port = ports[this.next++ % ports.length]
    const upstream = connect({host: '127.0.0.1', port})
    this.sockets.add(upstream)
    upstream.on('close', () => this.sockets.delete(upstream))
    client.pipe(upstream).pipe(client)
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}
