// A tiny TCP proxy in front of the shared Redis, so a test can "stop" or slow Redis without touching the server.
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Adds this much delay to every chunk from the server (simulates a slow Redis). */
  delayMs: number;
  /** Closes the listener and every open connection (Redis "stopped"). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server;
  const proxy: TcpProxy = {
    port: 0,
    delayMs: 0,
    async stop() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async start() {
      server = createServer(onClient);
      server.listen(proxy.port, '127.0.0.1');
      await once(server, 'listening');
      proxy.port = (server.address() as { port: number }).port;
    },
  };
  function onClient(client: Socket): void {
    const upstream = connect({ host: targetHost, port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (proxy.delayMs === 0) client.write(chunk);
      else setTimeout(() => client.writable && client.write(chunk), proxy.delayMs);
    });
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  }
  await proxy.start();
  return proxy;
}
