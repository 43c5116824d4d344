import net from 'node:net';

/**
 * A TCP pass-through that a test can cut, to make a real dependency "go down" for one API instance
 * without stopping the server other tests use.
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private up = true;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = net.createServer((client) => {
      if (!this.up) return client.destroy();
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every open connection and refuses new ones, like a stopped server. */
  cut(): void {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.up = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A cuttable way to the run's database: the proxy, and a DATABASE_URL that goes through it. */
export async function proxiedDatabase(
  databaseUrl = process.env.DATABASE_URL!,
): Promise<{ proxy: TcpProxy; url: string }> {
  const database = new URL(databaseUrl);
  const proxy = await TcpProxy.start(database.hostname, Number(database.port || 5432));
  database.hostname = '127.0.0.1';
  database.port = String(proxy.port);
  return { proxy, url: database.toString() };
}
