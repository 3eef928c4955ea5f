import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { ECHO_METHOD } from './echo.js';

// Run as its own process by the benchmark: the gRPC transport's ceiling on this machine.
const server = new Server();
server.addService(
  { echo: ECHO_METHOD },
  {
    echo: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) =>
      callback(null, call.request),
  },
);
server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  console.log(`echo listening on 127.0.0.1:${port}`);
});
process.on('SIGTERM', () => server.forceShutdown());
