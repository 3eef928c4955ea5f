import { FtpSrv } from 'ftp-srv';
import { SMTPServer } from 'smtp-server';
import { closedPort, portOf, quietLog } from './helpers.js';

// Healthy mail servers for the checks: smtp-server (alice / pw) and ftp-srv (bob / secret).

export interface TestServer {
  port: number;
  close(): Promise<void>;
}

/** An SMTP server without STARTTLS; AUTH PLAIN accepts alice / pw. */
export async function startSmtpServer(): Promise<TestServer> {
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'alice' && auth.password === 'pw') callback(null, { user: 'alice' });
      else callback(new Error('Invalid username or password'));
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: portOf(server.server),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** An FTP server that accepts bob / secret. */
export async function startFtpServer(): Promise<TestServer> {
  const port = await closedPort();
  const server = new FtpSrv({
    url: `ftp://127.0.0.1:${port}`,
    anonymous: false,
    greeting: 'team ftp',
    log: quietLog as never,
  });
  server.on('login', ({ username, password }, resolve, reject) => {
    if (username === 'bob' && password === 'secret') resolve({ root: '/tmp' });
    else reject(new Error('bad login'));
  });
  await server.listen();
  return {
    port,
    async close() {
      await server.close();
    },
  };
}
