// What the agents of the release example talk to, started by the chat test on loopback: an OpenAI-compatible
// model server, the order service of the support agent's tool, and redis (Debian's redis-server).
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';

/** One request the model stand-in received. */
export interface ModelRequest {
  readonly path: string;
  readonly authorization?: string;
  readonly body: any;
}

export interface Listening {
  readonly port: number;
  close(): Promise<void>;
}

function serve(handler: http.RequestListener, host = '127.0.0.1', port = 0): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** A loopback address of its own (127.0.0.0/8 is all loopback), so that a fixed port there is free. */
export function randomLoopbackAddress(): string {
  const b = crypto.randomBytes(3);
  return `127.${100 + (b[0] % 150)}.${b[1]}.${1 + (b[2] % 250)}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const text = (content: any): string => (typeof content === 'string' ? content
  : Array.isArray(content) ? content.map((p) => p?.text ?? '').join('') : '');

/**
 * An OpenAI-compatible model server: `GET …/models` and streamed (SSE) or plain `POST …/chat/completions`.
 * Its answers are made up from the request, so that the test can tell they came from here: a question
 * about an order, with an `order_lookup` tool offered, gets a call of that tool first; a tool result gets an
 * answer quoting it; anything else gets `stand-in <model>: …` with the number of user turns it saw.
 */
export class ModelStandIn implements Listening {
  /** On a free port of 127.0.0.1, or at `host` and `port`. */
  public static async start(host?: string, port?: number): Promise<ModelStandIn> {
    const requests: ModelRequest[] = [];
    const server = await serve(async (req, res) => {
      const body = req.method === 'POST' ? await readBody(req) : '';
      const url = (req.url ?? '').split('?')[0];
      let parsed: any;
      try {
        parsed = body ? JSON.parse(body) : undefined;
      } catch {
        res.writeHead(400).end('{"error":{"message":"not JSON"}}');
        return;
      }
      requests.push({ path: url, authorization: req.headers.authorization, body: parsed });
      if (req.method === 'GET' && url.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'stand-in', object: 'model', owned_by: 'cdk8s-omnia-test' }] }));
        return;
      }
      if (req.method === 'POST' && url.endsWith('/chat/completions')) {
        respond(res, parsed);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no ${req.method} ${url} here` } }));
    }, host, port);
    return new ModelStandIn(server, requests);
  }

  private constructor(private readonly server: http.Server, public readonly requests: ModelRequest[]) {}

  public get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The chat requests (not the model-list calls). */
  public get chats(): ModelRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The stand-in's reply to one chat request. */
export function reply(body: any): { content?: string; toolCall?: { name: string; arguments: string } } {
  const messages: any[] = body?.messages ?? [];
  const last = messages[messages.length - 1];
  const users = messages.filter((m) => m.role === 'user').map((m) => text(m.content));
  if (last?.role === 'tool') return { content: `stand-in ${body.model}: the order service says ${text(last.content)}` };
  const offersLookup = (body?.tools ?? []).some((t: any) => t?.function?.name === 'order_lookup');
  const question = users[users.length - 1] ?? '';
  const orderId = /\b([A-Z]-\d{3,})\b/.exec(question)?.[1];
  if (offersLookup && orderId) return { toolCall: { name: 'order_lookup', arguments: JSON.stringify({ order_id: orderId }) } };
  return { content: `stand-in ${body?.model}: you said "${question}" (user turns seen: ${users.length})` };
}

function respond(res: http.ServerResponse, body: any): void {
  const answer = reply(body);
  const id = `chatcmpl-${crypto.randomBytes(6).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 };
  const toolCalls = answer.toolCall && [{ index: 0, id: `call_${crypto.randomBytes(4).toString('hex')}`, type: 'function', function: answer.toolCall }];
  const finish = toolCalls ? 'tool_calls' : 'stop';
  if (!body?.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      id, object: 'chat.completion', created, model: body?.model,
      choices: [{ index: 0, message: { role: 'assistant', content: answer.content ?? null, tool_calls: toolCalls }, finish_reason: finish }],
      usage,
    }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: any, finishReason: string | null, extra: any = {}) => res.write(`data: ${JSON.stringify({
    id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra,
  })}\n\n`);
  chunk({ role: 'assistant', content: '' }, null);
  if (toolCalls) {
    chunk({ tool_calls: toolCalls }, null);
  } else {
    // In two pieces, so that the facade has chunks to pass on.
    const cut = Math.ceil(answer.content!.length / 2);
    chunk({ content: answer.content!.slice(0, cut) }, null);
    chunk({ content: answer.content!.slice(cut) }, null);
  }
  chunk({}, finish);
  if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}

/** One call the order service received. */
export interface ToolCall {
  readonly method: string;
  readonly path: string;
  readonly body: any;
}

/** The order service behind the support agent's `order_lookup` tool: answers with a tracking number of its own. */
export class OrderService implements Listening {
  public static async start(): Promise<OrderService> {
    const calls: ToolCall[] = [];
    const tracking = `TRK-${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    const server = await serve(async (req, res) => {
      const raw = await readBody(req);
      let body: any = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // kept as text
      }
      calls.push({ method: req.method ?? '', path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ order_id: body?.order_id ?? null, status: 'shipped', tracking }));
    });
    return new OrderService(server, calls, tracking);
  }

  private constructor(private readonly server: http.Server, public readonly calls: ToolCall[], public readonly tracking: string) {}

  public get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** redis-server on a free loopback port, data in `dir`; `command` runs redis-cli against it. */
export class Redis implements Listening {
  public static async start(dir: string, port: number): Promise<Redis> {
    const found = spawnSync('redis-server', ['--version'], { stdio: 'pipe' });
    if (found.error || found.status !== 0) {
      throw new Error('redis-server is missing: install it (Debian: apt-get install redis-server); .ci/run does');
    }
    fs.mkdirSync(dir, { recursive: true });
    const log = fs.openSync(path.join(dir, 'redis.log'), 'a');
    const setpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0 ? ['setpriv', '--pdeathsig', 'KILL'] : [];
    const [command, ...args] = [...setpriv, 'redis-server', '--bind', '127.0.0.1', '--port', String(port), '--dir', dir,
      '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes'];
    const child = spawn(command, args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const redis = new Redis(child, port, dir);
    const deadline = Date.now() + 15_000;
    while (redis.command(['PING']).trim() !== 'PONG') {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`redis-server did not start:\n${fs.readFileSync(path.join(dir, 'redis.log'), 'utf8').split('\n').slice(-10).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return redis;
  }

  private constructor(private readonly child: ChildProcess, public readonly port: number, private readonly dir: string) {}

  public command(args: string[]): string {
    const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...args], { stdio: 'pipe' });
    return r.status === 0 ? r.stdout.toString() : '';
  }

  public close(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }

  public get logFile(): string {
    return path.join(this.dir, 'redis.log');
  }
}
