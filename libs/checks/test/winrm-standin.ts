import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { child, descendants, escapeXml, parseXml, type XmlElement } from '../src/winrm.xml.js';
import { listen, portOf } from './helpers.js';

// A STAND-IN for Windows' WinRM service, for the winrm check's tests: no WinRM server can be
// installed on Debian (OMI, Microsoft's own for Linux, is not packaged and speaks only its WMI
// providers, without the cmd shell). Written from MS-WSMV (3.1.4.1 Create, 3.1.4.11 Command,
// 3.1.4.14 Receive, 3.1.4.12 Signal, 3.1.4.2 Delete; 2.2.4 shell types) and DMTF DSP0226, and
// from what Windows answers on the wire (namespaces, prefixes, actions, RelatesTo, fault codes).
// It is a plain HTTP(S) server on 127.0.0.1 at /wsman: HTTP Basic only (a wrong password gets 401
// with `WWW-Authenticate: Basic realm="WSMAN"`, beside Negotiate, as a listener with Basic
// enabled), Content-Type application/soap+xml;charset=UTF-8, SOAP faults with HTTP 500.
// Commands run for real with /bin/sh -c <the command line> (not cmd.exe: the only input a shell
// reads is the command itself), in `cwd`, their output streamed back base64 over as many Receive
// responses as it takes: each waits up to the request's OperationTimeout for output (then a
// w:TimedOut fault, code 2150858793) and holds no more than its MaxEnvelopeSize allows.
// Unlike Windows: stdin is /dev/null (the check sends none), no NTLM, Kerberos or CredSSP, no
// message encryption, no quotas (MaxShellsPerUser), no PowerShell (PSRP) shells.

const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  a: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  x: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  w: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  p: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  f: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
  rsp: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
} as const;
const CMD_URI = `${NS.rsp}/cmd`;
const FAULT_ACTION = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault';
const DEFAULT_MAX_ENVELOPE = 153_600;
/** Windows' MaxEnvelopeSizekb default (500 KB): a larger request is refused. */
const MAX_REQUEST_BYTES = 512_000;
/** Output a command may have waiting for Receive before it is paused (Windows blocks it too). */
const OUTPUT_HIGH_WATER = 256 * 1024;

/** A SOAP fault; `detail` is Windows' WSManFault (its error number and message). */
class Fault extends Error {
  constructor(
    readonly subcode: string,
    readonly reason: string,
    readonly detail?: { code: string; message: string },
    readonly sender = true,
  ) {
    super(reason);
  }
}

const shellNotFound = (id: string) =>
  new Fault(
    'w:InvalidSelectors',
    'The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ',
    {
      code: '2150858843',
      message: `The request for the Windows Remote Shell with ShellId ${id} failed because the shell was not found on the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. Provide the correct ShellId or create a new shell and retry the operation. `,
    },
  );

interface Chunk {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

interface Command {
  child: ChildProcessByStdio<null, Readable, Readable>;
  queue: Chunk[];
  queued: number;
  /** Set once the process has ended and all its output is queued. */
  exitCode: number | undefined;
  /** Receives waiting for output or the end. */
  waiting: Set<() => void>;
}

interface Shell {
  commands: Map<string, Command>;
}

export interface WinrmStandInOptions {
  username: string;
  password: string;
  /** Where commands run. */
  cwd: string;
  /** Serve HTTPS with this certificate (the winrm-https listener, port 5986 on Windows). */
  tls?: { cert: Buffer; key: Buffer };
  /** false: a listener with Basic authentication disabled (it offers Negotiate only). */
  basic?: boolean;
}

export interface WinrmStandIn {
  port: number;
  /** Requests by operation (Create, Command, Receive, Signal, Delete) and refused logins (401). */
  counts: Map<string, number>;
  /** Shells still open: a check deletes its own. */
  openShells(): number;
  /** The next `n` Receives get a w:TimedOut fault at once, as when OperationTimeout passes. */
  timeOutReceives(n: number): void;
  close(): Promise<void>;
}

function envelope(action: string, relatesTo: string, body: string): string {
  const xmlns = Object.entries(NS)
    .map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`)
    .join(' ');
  return (
    `<s:Envelope xml:lang="en-US" ${xmlns}><s:Header><a:Action>${action}</a:Action>` +
    `<a:MessageID>uuid:${randomUUID().toUpperCase()}</a:MessageID>` +
    `<a:To>${NS.a}/role/anonymous</a:To><a:RelatesTo>${escapeXml(relatesTo)}</a:RelatesTo>` +
    `</s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}

function faultEnvelope(f: Fault, relatesTo: string): string {
  const detail =
    f.detail === undefined
      ? ''
      : `<s:Detail><f:WSManFault Code="${f.detail.code}" Machine="standin"><f:Message>${escapeXml(f.detail.message)}</f:Message></f:WSManFault></s:Detail>`;
  return envelope(
    FAULT_ACTION,
    relatesTo,
    `<s:Fault><s:Code><s:Value>${f.sender ? 's:Sender' : 's:Receiver'}</s:Value>` +
      `<s:Subcode><s:Value>${f.subcode}</s:Value></s:Subcode></s:Code>` +
      `<s:Reason><s:Text xml:lang="en-US">${escapeXml(f.reason)}</s:Text></s:Reason>${detail}</s:Fault>`,
  );
}

/** An xs:duration of seconds (`PT20S`, `PT60.000S`) in ms; Windows' default is 60 s. */
function durationMs(text: string | undefined): number {
  const m = /^PT(\d+(?:\.\d+)?)S$/.exec(text?.trim() ?? '');
  return m === null ? 60_000 : Number(m[1]) * 1000;
}

export async function startWinrmStandIn(options: WinrmStandInOptions): Promise<WinrmStandIn> {
  const shells = new Map<string, Shell>();
  const counts = new Map<string, number>();
  const count = (what: string) => counts.set(what, (counts.get(what) ?? 0) + 1);
  let timedOutReceives = 0;
  const timers = new Set<NodeJS.Timeout>();

  const authorized = (req: IncomingMessage): boolean => {
    const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (m === null || options.basic === false) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return (
      colon >= 0 &&
      decoded.slice(0, colon) === options.username &&
      decoded.slice(colon + 1) === options.password
    );
  };

  const end = (cmd: Command) => {
    for (const wake of cmd.waiting) wake();
    cmd.waiting.clear();
  };

  const start = (commandLine: string): Command => {
    const proc = spawn('/bin/sh', ['-c', commandLine], {
      cwd: options.cwd,
      env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const cmd: Command = {
      child: proc,
      queue: [],
      queued: 0,
      exitCode: undefined,
      waiting: new Set(),
    };
    for (const stream of ['stdout', 'stderr'] as const) {
      proc[stream].on('data', (data: Buffer) => {
        cmd.queue.push({ stream, data });
        cmd.queued += data.length;
        if (cmd.queued > OUTPUT_HIGH_WATER) {
          proc.stdout.pause();
          proc.stderr.pause();
        }
        end(cmd);
      });
    }
    proc.on('close', (code, signal) => {
      cmd.exitCode = code ?? 128 + (signal === null ? 0 : constants.signals[signal]);
      end(cmd);
    });
    proc.on('error', () => {
      cmd.exitCode = 127;
      end(cmd);
    });
    return cmd;
  };

  /** Waits (up to `ms`) until `cmd` has output or has ended; false if the time passed first. */
  const ready = (cmd: Command, ms: number): Promise<boolean> => {
    if (cmd.queue.length > 0 || cmd.exitCode !== undefined) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        cmd.waiting.delete(wake);
        resolve(false);
      }, ms);
      timers.add(timer);
      const wake = () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(true);
      };
      cmd.waiting.add(wake);
    });
  };

  /** As much queued output as fits in `maxEnvelope` bytes, as rsp:Stream elements. */
  const take = (cmd: Command, commandId: string, maxEnvelope: number): string => {
    const perElement = 160 + commandId.length;
    let room = maxEnvelope - 2048; // the envelope, its header and the CommandState
    const out: string[] = [];
    while (cmd.queue.length > 0 && room > perElement + 4) {
      const chunk = cmd.queue[0]!;
      const fits = Math.floor((room - perElement) / 4) * 3;
      const data = chunk.data.subarray(0, fits);
      if (data.length === chunk.data.length) cmd.queue.shift();
      else chunk.data = chunk.data.subarray(fits);
      cmd.queued -= data.length;
      const encoded = data.toString('base64');
      room -= perElement + encoded.length;
      out.push(
        `<rsp:Stream Name="${chunk.stream}" CommandId="${commandId}">${encoded}</rsp:Stream>`,
      );
    }
    if (cmd.queued <= OUTPUT_HIGH_WATER / 2) {
      cmd.child.stdout.resume();
      cmd.child.stderr.resume();
    }
    return out.join('');
  };

  const shellOf = (header: XmlElement): [string, Shell] => {
    const id =
      descendants(header, NS.w, 'Selector')
        .find((s) => s.attrs.get('Name') === 'ShellId')
        ?.text.trim() ?? '';
    const shell = shells.get(id);
    if (shell === undefined) throw shellNotFound(id);
    return [id, shell];
  };

  const commandOf = (shell: Shell, id: string | undefined): Command => {
    const cmd = shell.commands.get(id ?? '');
    if (cmd === undefined) {
      throw new Fault(
        'w:InvalidParameter',
        `The command with CommandId ${id ?? ''} was not found.`,
      );
    }
    return cmd;
  };

  /** One operation: the answer's action and body. */
  const operate = async (
    action: string,
    header: XmlElement,
    body: XmlElement,
    address: string,
  ): Promise<[string, string]> => {
    const resource = child(header, NS.w, 'ResourceURI')?.text.trim();
    if (resource !== CMD_URI) {
      throw new Fault(
        'w:DestinationUnreachable',
        'The WS-Management service cannot process the request because the resource URI is not valid.',
      );
    }
    switch (action) {
      case `${NS.x}/Create`: {
        const id = randomUUID().toUpperCase();
        shells.set(id, { commands: new Map() });
        return [
          `${NS.x}/CreateResponse`,
          `<x:ResourceCreated><a:Address>${escapeXml(address)}</a:Address><a:ReferenceParameters>` +
            `<w:ResourceURI>${CMD_URI}</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">${id}</w:Selector>` +
            `</w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>` +
            `<rsp:Shell><rsp:ShellId>${id}</rsp:ShellId><rsp:ResourceUri>${CMD_URI}</rsp:ResourceUri>` +
            `<rsp:Owner>${escapeXml(options.username)}</rsp:Owner><rsp:IdleTimeOut>PT7200.000S</rsp:IdleTimeOut>` +
            `<rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams>` +
            `<rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime><rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity></rsp:Shell>`,
        ];
      }
      case `${NS.rsp}/Command`: {
        const [, shell] = shellOf(header);
        const line = child(body, NS.rsp, 'CommandLine');
        const command = child(line, NS.rsp, 'Command')?.text ?? '';
        const args = (line?.children ?? []).filter(
          (e) => e.ns === NS.rsp && e.name === 'Arguments',
        );
        const id = randomUUID().toUpperCase();
        shell.commands.set(id, start([command, ...args.map((a) => a.text)].join(' ')));
        return [
          `${NS.rsp}/CommandResponse`,
          `<rsp:CommandResponse><rsp:CommandId>${id}</rsp:CommandId></rsp:CommandResponse>`,
        ];
      }
      case `${NS.rsp}/Receive`: {
        const [, shell] = shellOf(header);
        const desired = child(child(body, NS.rsp, 'Receive'), NS.rsp, 'DesiredStream');
        const id = desired?.attrs.get('CommandId');
        const cmd = commandOf(shell, id);
        const wait = durationMs(child(header, NS.w, 'OperationTimeout')?.text);
        if (timedOutReceives > 0 || !(await ready(cmd, wait))) {
          timedOutReceives = Math.max(0, timedOutReceives - 1);
          const reason =
            'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ';
          throw new Fault('w:TimedOut', reason, { code: '2150858793', message: reason }, false);
        }
        const max = Number(child(header, NS.w, 'MaxEnvelopeSize')?.text) || DEFAULT_MAX_ENVELOPE;
        const streams = take(cmd, id!, max);
        const done = cmd.exitCode !== undefined && cmd.queue.length === 0;
        const state = done
          ? `<rsp:Stream Name="stdout" CommandId="${id}" End="true"></rsp:Stream>` +
            `<rsp:Stream Name="stderr" CommandId="${id}" End="true"></rsp:Stream>` +
            `<rsp:CommandState CommandId="${id}" State="${NS.rsp}/CommandState/Done"><rsp:ExitCode>${cmd.exitCode}</rsp:ExitCode></rsp:CommandState>`
          : `<rsp:CommandState CommandId="${id}" State="${NS.rsp}/CommandState/Running"></rsp:CommandState>`;
        return [
          `${NS.rsp}/ReceiveResponse`,
          `<rsp:ReceiveResponse>${streams}${state}</rsp:ReceiveResponse>`,
        ];
      }
      case `${NS.rsp}/Signal`: {
        const [, shell] = shellOf(header);
        const signal = child(body, NS.rsp, 'Signal');
        const id = signal?.attrs.get('CommandId');
        const cmd = commandOf(shell, id);
        const code = child(signal, NS.rsp, 'Code')?.text.trim();
        if (code === `${NS.rsp}/signal/terminate`) {
          cmd.child.kill('SIGKILL');
          shell.commands.delete(id!);
        } else if (code === `${NS.rsp}/signal/ctrl_c`) cmd.child.kill('SIGINT');
        else throw new Fault('w:InvalidParameter', 'The signal code is not valid.');
        return [`${NS.rsp}/SignalResponse`, '<rsp:SignalResponse></rsp:SignalResponse>'];
      }
      case `${NS.x}/Delete`: {
        const [id, shell] = shellOf(header);
        for (const cmd of shell.commands.values()) cmd.child.kill('SIGKILL');
        shells.delete(id);
        return [`${NS.x}/DeleteResponse`, ''];
      }
      default:
        throw new Fault('a:ActionNotSupported', 'The action is not supported by the service.');
    }
  };

  const send = (
    res: ServerResponse,
    status: number,
    xml: string,
    extra: Record<string, string | string[]> = {},
  ) => {
    const bytes = Buffer.from(xml, 'utf8');
    res.writeHead(status, {
      Server: 'Microsoft-HTTPAPI/2.0',
      ...(bytes.length === 0 ? {} : { 'Content-Type': 'application/soap+xml;charset=UTF-8' }),
      'Content-Length': bytes.length,
      ...extra,
    });
    res.end(bytes);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== '/wsman') return send(res, 404, '');
    if (req.method !== 'POST') return send(res, 405, '');
    if (!authorized(req)) {
      count('401');
      const offered =
        options.basic === false ? ['Negotiate'] : ['Negotiate', 'Basic realm="WSMAN"'];
      return send(res, 401, '', { 'WWW-Authenticate': offered });
    }
    if (!/^application\/soap\+xml/i.test(req.headers['content-type'] ?? ''))
      return send(res, 415, '');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) return send(res, 413, '');
      chunks.push(chunk);
    }
    let messageId = '';
    try {
      const root = parseXml(Buffer.concat(chunks).toString('utf8'));
      const header = child(root, NS.s, 'Header');
      const body = child(root, NS.s, 'Body');
      if (
        root.ns !== NS.s ||
        root.name !== 'Envelope' ||
        header === undefined ||
        body === undefined
      ) {
        throw new Fault(
          'w:SchemaValidationError',
          'The SOAP XML in the message does not match the corresponding XML schema definition.',
        );
      }
      messageId = child(header, NS.a, 'MessageID')?.text.trim() ?? '';
      const action = child(header, NS.a, 'Action')?.text.trim() ?? '';
      count(action.slice(action.lastIndexOf('/') + 1));
      const address = `${options.tls === undefined ? 'http' : 'https'}://${req.headers.host ?? ''}/wsman`;
      const [answer, xml] = await operate(action, header, body, address);
      send(res, 200, envelope(answer, messageId, xml));
    } catch (err) {
      const fault =
        err instanceof Fault
          ? err
          : new Fault('w:SchemaValidationError', 'The SOAP XML in the message is not valid.');
      send(res, 500, faultEnvelope(fault, messageId));
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => void handle(req, res);
  const server: Server =
    options.tls === undefined
      ? createHttpServer(listener)
      : createHttpsServer(options.tls, listener);
  await listen(server);
  return {
    port: portOf(server),
    counts,
    openShells: () => shells.size,
    timeOutReceives: (n) => (timedOutReceives = n),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const shell of shells.values()) {
        for (const cmd of shell.commands.values()) cmd.child.kill('SIGKILL');
      }
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
