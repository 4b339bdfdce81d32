// A minimal WebSocket client (RFC 6455) for the chat test: Node 20 has none built in. Text frames, masked
// as a client must; pings answered; fragments joined. Enough for the facade's JSON messages.
import * as crypto from 'crypto';
import * as net from 'net';

export interface Upgrade {
  /** 101 when the server switched protocols; else its status (401, say) and body. */
  readonly status: number;
  readonly body: string;
  readonly socket?: WebSocketClient;
}

export class WebSocketClient {
  /** Opens `ws://127.0.0.1:<port><path>` with the given request headers. */
  public static connect(port: number, path: string, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<Upgrade> {
    return new Promise((resolve, reject) => {
      const key = crypto.randomBytes(16).toString('base64');
      const socket = net.connect(port, '127.0.0.1');
      const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer to the upgrade of ${path} within ${timeoutMs} ms`)); }, timeoutMs);
      let buffer = Buffer.alloc(0);
      const onData = (d: Buffer) => {
        buffer = Buffer.concat([buffer, d]);
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString();
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
        if (status !== 101) {
          // Read the body to the end (the server closes, or sends Content-Length bytes).
          const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? -1);
          const body = buffer.subarray(end + 4);
          if (length >= 0 && body.length < length) return;
          clearTimeout(timer);
          socket.off('data', onData);
          socket.destroy();
          resolve({ status, body: body.toString() });
          return;
        }
        const accept = crypto.createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        if (!new RegExp(`^sec-websocket-accept:\\s*${accept.replace(/[+/]/g, '\\$&')}\\s*$`, 'im').test(head)) {
          clearTimeout(timer);
          socket.destroy();
          reject(new Error(`the server switched protocols without the right Sec-WebSocket-Accept:\n${head}`));
          return;
        }
        clearTimeout(timer);
        socket.off('data', onData);
        resolve({ status, body: '', socket: new WebSocketClient(socket, buffer.subarray(end + 4)) });
      };
      socket.on('data', onData);
      socket.on('error', (e) => { clearTimeout(timer); reject(e); });
      socket.on('close', () => { clearTimeout(timer); reject(new Error(`connection closed during the upgrade of ${path}`)); });
      const lines = [
        `GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  }

  private buffer: Buffer;
  private readonly messages: string[] = [];
  private waiters: Array<() => void> = [];
  private fragments: Buffer[] = [];
  private closed?: string;

  private constructor(private readonly socket: net.Socket, rest: Buffer) {
    this.buffer = rest;
    socket.removeAllListeners('close');
    socket.removeAllListeners('error');
    socket.on('data', (d) => { this.buffer = Buffer.concat([this.buffer, d]); this.parse(); });
    socket.on('close', () => { this.closed ??= 'connection closed'; this.wake(); });
    socket.on('error', (e) => { this.closed = e.message; this.wake(); });
    this.parse();
  }

  /** Sends a text message. */
  public send(message: string): void {
    this.frame(0x1, Buffer.from(message));
  }

  /** The next text message; fails after `timeoutMs` or when the connection closes. */
  public async next(timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length === 0) {
      if (this.closed) throw new Error(`websocket: ${this.closed}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`websocket: no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
    return this.messages.shift()!;
  }

  public close(): void {
    if (!this.socket.destroyed) {
      this.frame(0x8, Buffer.from([0x03, 0xe8]));
      this.socket.end();
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private frame(opcode: number, payload: Buffer): void {
    const mask = crypto.randomBytes(4);
    const length = payload.length;
    const head = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length])
      : length < 65536 ? Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(length)); return b; })()]);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
    this.socket.write(Buffer.concat([head, mask, masked]));
  }

  private parse(): void {
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const fin = (b[0] & 0x80) !== 0;
      const opcode = b[0] & 0x0f;
      let length = b[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (b[1] & 0x80) !== 0;
      const maskKey = masked ? b.subarray(offset, offset + 4) : undefined;
      if (masked) offset += 4;
      if (b.length < offset + length) return;
      let payload = b.subarray(offset, offset + length);
      if (maskKey) payload = Buffer.from(payload.map((x, i) => x ^ maskKey[i % 4]));
      this.buffer = b.subarray(offset + length);
      if (opcode === 0x9) this.frame(0xa, payload);
      else if (opcode === 0x8) {
        this.closed = `closed by the server (${payload.length >= 2 ? payload.readUInt16BE(0) : 'no code'}${payload.length > 2 ? ` ${payload.subarray(2)}` : ''})`;
        this.socket.end();
      } else if (opcode === 0x1 || opcode === 0x2 || opcode === 0x0) {
        this.fragments.push(payload);
        if (fin) {
          this.messages.push(Buffer.concat(this.fragments).toString());
          this.fragments = [];
        }
      }
      this.wake();
    }
  }
}
