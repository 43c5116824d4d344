import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the SMTP receiver accepted (answered 250 on a connection that was still open). */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  deliveryId: string;
  at: Date;
}

export interface SmtpReceiver {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Mails for one address. */
  mailsTo(address: string): ReceivedMail[];
  /**
   * Holds the DATA reply of every message for one of `recipients` until release() (the sender waits, as on a slow
   * server); `received` fires when a held message is in. A message whose connection closed meanwhile (the sender died)
   * is not accepted. Mail for other addresses passes: a worker relays every pending delivery in the shared database,
   * and another suite's leftover must not be mistaken for the one under test.
   */
  hold(recipients: string[]): { received: Promise<void>; release: () => void };
  /** Stops listening (connections are refused: the server is down) or listens again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) on a free port, parsing what it receives with `mailparser`: what the
 * worker's e-mails look like to a mail system, not to the code that wrote them.
 */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const closed = new Set<string>();
  let holding: { recipients: string[]; arrived: () => void; released: Promise<void> } | undefined;
  const options = {
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onClose: (session: { id: string }) => closed.add(session.id),
    onData: (
      stream: NodeJS.ReadableStream,
      session: { id: string; envelope: { rcptTo: Array<{ address: string }> } },
      callback: (error?: Error | null) => void,
    ) => {
      void (async () => {
        const parsed = await simpleParser(stream as never);
        const hold = holding;
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        if (hold && to.some((address) => hold.recipients.includes(address))) {
          hold.arrived();
          await hold.released;
          await new Promise((resolve) => setTimeout(resolve, 200)); // let a dead sender's close arrive
        }
        if (closed.has(session.id)) return callback(new Error('connection closed before the reply'));
        mails.push({
          to,
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          messageId: parsed.messageId ?? '',
          deliveryId: String(parsed.headers.get('x-delivery-id') ?? ''),
          at: new Date(),
        });
        callback();
      })().catch((error: Error) => callback(error));
    },
  };
  let server = new SMTPServer(options);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    mailsTo: (address) => mails.filter((mail) => mail.to.includes(address)),
    hold: (recipients) => {
      let arrived!: () => void;
      let release!: () => void;
      const received = new Promise<void>((resolve) => (arrived = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holding = { recipients, arrived, released };
      return {
        received,
        release: () => {
          holding = undefined;
          release();
        },
      };
    },
    down: stop,
    up: async () => {
      server = new SMTPServer(options);
      await listen(port);
    },
    close: stop,
  };
}

export interface ReceivedRequest {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
  at: Date;
}

export interface HttpReceiver {
  /** http://127.0.0.1:<port> */
  url: string;
  /** host:port, for NOTIFY_ALLOWED_HOSTS. */
  host: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server standing in for the 企业微信/钉钉 robot API and the county's webhook receiver. `answer` decides
 * the reply from the request (a test checks signatures there and answers as the real service would).
 */
export async function startHttpReceiver(
  answer: (request: ReceivedRequest) => { status: number; json: unknown },
): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://receiver');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // not JSON: the answer function sees json null
      }
      const request = { path: url.pathname, query: url.searchParams, headers: req.headers, body, json, at: new Date() };
      requests.push(request);
      const reply = answer(request);
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
