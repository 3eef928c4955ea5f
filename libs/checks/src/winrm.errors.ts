// What a WinRM conversation can end with besides network errors, limits and malformed replies.

/** A SOAP 1.2 fault (with WS-Management's detail when the server sent it). */
export interface SoapFault {
  /** env:Code/env:Value, e.g. `s:Sender`. */
  code: string;
  /** env:Code/env:Subcode/env:Value, e.g. `w:InvalidSelectors` ('' when none). */
  subcode: string;
  /** env:Reason/env:Text. */
  reason: string;
  /** The WSManFault's Code attribute (a Windows error number, e.g. 2150858843), or ''. */
  wsmanCode: string;
}

/** The server answered one of the shell's operations with a SOAP fault. */
export class WsmanFaultError extends Error {
  override readonly name = 'WsmanFaultError';
  constructor(
    readonly operation: string,
    readonly fault: SoapFault,
  ) {
    super(`${operation}: SOAP fault ${fault.subcode || fault.code}`);
  }

  /**
   * A Receive that met its OperationTimeout before any output (MS-WSMV 3.1.4.14: subcode
   * w:TimedOut, Windows' code 2150858793): the client asks again.
   */
  get timedOut(): boolean {
    return /(^|:)TimedOut$/.test(this.fault.subcode) || this.fault.wsmanCode === '2150858793';
  }

  /** Authenticated, but not allowed (a user outside the Administrators or WinRM users groups). */
  get accessDenied(): boolean {
    return /(^|:)AccessDenied$/.test(this.fault.subcode);
  }
}

/** HTTP 401: the server refused the credentials; `offered` are its WWW-Authenticate schemes. */
export class LoginRefusedError extends Error {
  override readonly name = 'LoginRefusedError';
  constructor(readonly offered: readonly string[]) {
    super('HTTP 401');
  }
}

/** An HTTP status other than 200 that carries no SOAP fault. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly operation: string,
    readonly status: number,
  ) {
    super(`${operation} answered HTTP ${status}`);
  }
}

/** winrm-https with `verifyTls`: the server's certificate is not trusted for its host. */
export class CertificateError extends Error {
  override readonly name = 'CertificateError';
}
