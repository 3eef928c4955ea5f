import { randomUUID } from 'node:crypto';
import { MalformedReplyError } from './server-reply.js';
import { HttpStatusError, LoginRefusedError, WsmanFaultError } from './winrm.errors.js';
import {
  commandIdIn,
  createShell,
  deleteShell,
  faultIn,
  readEnvelope,
  receiveOutput,
  receivedIn,
  relatesTo,
  runCommand,
  shellIdIn,
  terminateCommand,
  type Answer,
  type Operation,
  type Received,
  type RequestHeader,
} from './winrm.soap.js';
import type { HttpAnswer, WsmanTransport } from './winrm.transport.js';
import type { XmlElement } from './winrm.xml.js';

/**
 * The remote shell's operations (MS-WSMV 3.1.4.11-3.1.4.16) over one transport. A SOAP fault
 * throws WsmanFaultError and leaves the conversation open (the shell can still be deleted);
 * anything else that is not the expected answer (a refused login, another HTTP status, a
 * malformed or oversized answer, a network error) ends the conversation.
 */
export class WinrmShell {
  constructor(
    private readonly transport: WsmanTransport,
    /** How long the server may hold one request (a Receive waits that long for output). */
    private readonly operationTimeoutS: number,
  ) {}

  create(): Promise<string> {
    return this.call('Create', undefined, createShell, shellIdIn);
  }

  command(shellId: string, commandLine: string): Promise<string> {
    return this.call('Command', shellId, (h) => runCommand(h, commandLine), commandIdIn);
  }

  receive(shellId: string, commandId: string): Promise<Received> {
    return this.call(
      'Receive',
      shellId,
      (h) => receiveOutput(h, commandId),
      (body) => receivedIn(body, commandId),
    );
  }

  async terminate(shellId: string, commandId: string): Promise<void> {
    await this.call(
      'Signal',
      shellId,
      (h) => terminateCommand(h, commandId),
      () => undefined,
    );
  }

  async delete(shellId: string): Promise<void> {
    await this.call('Delete', shellId, deleteShell, () => undefined);
  }

  private async call<T>(
    operation: Operation,
    shellId: string | undefined,
    envelope: (h: RequestHeader) => string,
    read: (body: XmlElement) => T,
  ): Promise<T> {
    const h: RequestHeader = {
      to: this.transport.url,
      messageId: randomUUID(),
      operationTimeoutS: this.operationTimeoutS,
      ...(shellId === undefined ? {} : { shellId }),
    };
    try {
      return read(soapBody(operation, h.messageId, await this.transport.post(envelope(h))));
    } catch (err) {
      if (!(err instanceof WsmanFaultError)) this.transport.cut(err as Error);
      throw err;
    }
  }
}

/**
 * The Body of the answer to message `messageId`. WinRM answers faults with HTTP 500 (or 400), so
 * a fault is read whatever the status; 401 is a refused login.
 */
function soapBody(operation: Operation, messageId: string, http: HttpAnswer): XmlElement {
  if (http.status === 401) throw new LoginRefusedError(http.offered);
  let answer: Answer;
  try {
    answer = readEnvelope(http.body);
  } catch (err) {
    if (http.status !== 200) throw new HttpStatusError(operation, http.status);
    throw err;
  }
  const fault = faultIn(answer.body);
  if (fault !== undefined) throw new WsmanFaultError(operation, fault);
  if (http.status !== 200) throw new HttpStatusError(operation, http.status);
  const related = relatesTo(answer);
  if (related !== undefined && related.toLowerCase() !== messageId.toLowerCase()) {
    throw new MalformedReplyError(`the answer to ${operation} relates to another message`);
  }
  return answer.body;
}
