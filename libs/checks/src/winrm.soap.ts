import type { SoapFault } from './winrm.errors.js';
import { MalformedReplyError } from './server-reply.js';
import { child, descendants, escapeXml, parseXml, type XmlElement } from './winrm.xml.js';

// The SOAP envelopes of WS-Management's remote shell (MS-WSMV 3.1.4.1 and 3.1.4.11-3.1.4.16, on
// DMTF DSP0226) as pywinrm and Windows' own winrs send them, and what the check reads from the
// answers.

export const NS = Object.freeze({
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  transfer: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  wsman: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  msWsman: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  wsmanFault: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
  shell: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
});

/** The resource of cmd.exe shells. */
export const CMD_SHELL_URI = `${NS.shell}/cmd`;
const ANONYMOUS = `${NS.addressing}/role/anonymous`;
const SIGNAL_TERMINATE = `${NS.shell}/signal/terminate`;
const COMMAND_DONE = `${NS.shell}/CommandState/Done`;

export type Operation = 'Create' | 'Command' | 'Receive' | 'Signal' | 'Delete';

const ACTIONS: ReadonlyMap<Operation, string> = new Map([
  ['Create', `${NS.transfer}/Create`],
  ['Delete', `${NS.transfer}/Delete`],
  ['Command', `${NS.shell}/Command`],
  ['Receive', `${NS.shell}/Receive`],
  ['Signal', `${NS.shell}/Signal`],
]);

/**
 * The largest envelope the check accepts, which it announces in every request (MaxEnvelopeSize,
 * pywinrm's value). DSP0226 (6.2) forbids a service to answer with a larger one, so a bigger
 * answer is malformed: Windows splits a command's output over several Receive responses instead.
 */
export const MAX_ENVELOPE_BYTES = 153_600;

/** Shell and command ids are GUIDs on Windows; anything this long is not one. */
const MAX_ID_CHARS = 256;

export interface RequestHeader {
  /** The endpoint's URL (`http://host:5985/wsman`). */
  to: string;
  /** A fresh UUID, which the answer's RelatesTo repeats. */
  messageId: string;
  /** How long the server may take (a Receive waits this long for output), whole seconds. */
  operationTimeoutS: number;
  shellId?: string;
}

/** One operation's envelope; `options` go to the header's OptionSet, `body` as it is. */
export function requestEnvelope(
  operation: Operation,
  h: RequestHeader,
  options: readonly (readonly [string, string])[],
  body: string,
): string {
  const selector =
    h.shellId === undefined
      ? ''
      : `<w:SelectorSet><w:Selector Name="ShellId">${escapeXml(h.shellId)}</w:Selector></w:SelectorSet>`;
  const optionSet =
    options.length === 0
      ? ''
      : `<w:OptionSet>${options.map(([n, v]) => `<w:Option Name="${n}">${v}</w:Option>`).join('')}</w:OptionSet>`;
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.addressing}" xmlns:w="${NS.wsman}" xmlns:p="${NS.msWsman}" xmlns:rsp="${NS.shell}">`,
    '<s:Header>',
    `<a:To>${escapeXml(h.to)}</a:To>`,
    `<a:ReplyTo><a:Address s:mustUnderstand="true">${ANONYMOUS}</a:Address></a:ReplyTo>`,
    `<w:MaxEnvelopeSize s:mustUnderstand="true">${MAX_ENVELOPE_BYTES}</w:MaxEnvelopeSize>`,
    `<a:MessageID>uuid:${h.messageId}</a:MessageID>`,
    '<w:Locale xml:lang="en-US" s:mustUnderstand="false"/>',
    '<p:DataLocale xml:lang="en-US" s:mustUnderstand="false"/>',
    `<w:OperationTimeout>PT${h.operationTimeoutS}S</w:OperationTimeout>`,
    `<w:ResourceURI s:mustUnderstand="true">${CMD_SHELL_URI}</w:ResourceURI>`,
    `<a:Action s:mustUnderstand="true">${ACTIONS.get(operation)!}</a:Action>`,
    selector,
    optionSet,
    '</s:Header>',
    `<s:Body>${body}</s:Body>`,
    '</s:Envelope>',
  ].join('');
}

/**
 * Create: a cmd shell without the user's profile (faster, and nothing of it is needed), its
 * output in UTF-8 (code page 65001) rather than the console's OEM code page.
 */
export const createShell = (h: RequestHeader) =>
  requestEnvelope(
    'Create',
    h,
    [
      ['WINRS_NOPROFILE', 'TRUE'],
      ['WINRS_CODEPAGE', '65001'],
    ],
    '<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>',
  );

/** Command: `commandLine` as cmd.exe's (`cmd /c <commandLine>`), as winrs runs it. */
export const runCommand = (h: RequestHeader, commandLine: string) =>
  requestEnvelope(
    'Command',
    h,
    [
      ['WINRS_CONSOLEMODE_STDIN', 'TRUE'],
      ['WINRS_SKIP_CMD_SHELL', 'FALSE'],
    ],
    `<rsp:CommandLine><rsp:Command>${escapeXml(commandLine)}</rsp:Command></rsp:CommandLine>`,
  );

export const receiveOutput = (h: RequestHeader, commandId: string) =>
  requestEnvelope(
    'Receive',
    h,
    [],
    `<rsp:Receive><rsp:DesiredStream CommandId="${escapeXml(commandId)}">stdout stderr</rsp:DesiredStream></rsp:Receive>`,
  );

export const terminateCommand = (h: RequestHeader, commandId: string) =>
  requestEnvelope(
    'Signal',
    h,
    [],
    `<rsp:Signal CommandId="${escapeXml(commandId)}"><rsp:Code>${SIGNAL_TERMINATE}</rsp:Code></rsp:Signal>`,
  );

export const deleteShell = (h: RequestHeader) => requestEnvelope('Delete', h, [], '');

export interface Answer {
  header: XmlElement | undefined;
  body: XmlElement;
}

/** A SOAP 1.2 envelope with a Body; anything else is malformed. */
export function readEnvelope(xml: string): Answer {
  const root = parseXml(xml);
  const body = child(root, NS.soap, 'Body');
  if (root.ns !== NS.soap || root.name !== 'Envelope' || body === undefined) {
    throw new MalformedReplyError('not a SOAP 1.2 envelope');
  }
  return { header: child(root, NS.soap, 'Header'), body };
}

/** The message an answer relates to (without `uuid:`), when it says. */
export function relatesTo(answer: Answer): string | undefined {
  return child(answer.header, NS.addressing, 'RelatesTo')
    ?.text.trim()
    .replace(/^uuid:/i, '');
}

/** The Body's SOAP fault, if it holds one. */
export function faultIn(body: XmlElement): SoapFault | undefined {
  const fault = child(body, NS.soap, 'Fault');
  if (fault === undefined) return undefined;
  const code = child(fault, NS.soap, 'Code');
  const wsman = descendants(fault, NS.wsmanFault, 'WSManFault')[0];
  const reason = child(child(fault, NS.soap, 'Reason'), NS.soap, 'Text')?.text.trim() ?? '';
  return {
    code: child(code, NS.soap, 'Value')?.text.trim() ?? '',
    subcode: child(child(code, NS.soap, 'Subcode'), NS.soap, 'Value')?.text.trim() ?? '',
    reason: reason || (child(wsman, NS.wsmanFault, 'Message')?.text.trim() ?? ''),
    wsmanCode: wsman?.attrs.get('Code') ?? '',
  };
}

function id(text: string | undefined, what: string): string {
  const value = text?.trim() ?? '';
  if (value === '' || value.length > MAX_ID_CHARS) {
    throw new MalformedReplyError(`no ${what} in the answer`);
  }
  return value;
}

/**
 * Create's answer: the ShellId selector of the created resource's reference (DSP0226 7.3), or the
 * rsp:Shell's ShellId that Windows adds beside it.
 */
export function shellIdIn(body: XmlElement): string {
  const selector = descendants(body, NS.wsman, 'Selector').find(
    (s) => s.attrs.get('Name') === 'ShellId',
  );
  return id(selector?.text ?? descendants(body, NS.shell, 'ShellId')[0]?.text, 'ShellId');
}

/** Command's answer: rsp:CommandResponse/rsp:CommandId. */
export function commandIdIn(body: XmlElement): string {
  return id(
    child(child(body, NS.shell, 'CommandResponse'), NS.shell, 'CommandId')?.text,
    'CommandId',
  );
}

export interface Received {
  /** stdout and stderr chunks, in the order the server sent them. */
  output: Buffer[];
  done: boolean;
  /** When done: the exit code, if the server sent one. */
  exitCode: number | undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Receive's answer for `commandId`: its stream chunks (base64) and its state. */
export function receivedIn(body: XmlElement, commandId: string): Received {
  const response = child(body, NS.shell, 'ReceiveResponse');
  if (response === undefined) throw new MalformedReplyError('no ReceiveResponse in the answer');
  const ours = (e: XmlElement) => (e.attrs.get('CommandId') ?? commandId) === commandId;
  const output: Buffer[] = [];
  for (const stream of response.children.filter((e) => e.ns === NS.shell && e.name === 'Stream')) {
    const data = stream.text.replace(/\s+/g, '');
    if (!ours(stream) || data === '') continue;
    if (!BASE64.test(data)) throw new MalformedReplyError('a stream that is not base64');
    output.push(Buffer.from(data, 'base64'));
  }
  const state = response.children.find(
    (e) => e.ns === NS.shell && e.name === 'CommandState' && ours(e),
  );
  const done = state?.attrs.get('State') === COMMAND_DONE;
  const code = child(state, NS.shell, 'ExitCode')?.text.trim();
  if (code !== undefined && !/^-?\d{1,10}$/.test(code)) {
    throw new MalformedReplyError('an exit code that is not a number');
  }
  return { output, done, exitCode: done && code !== undefined ? Number(code) : undefined };
}
