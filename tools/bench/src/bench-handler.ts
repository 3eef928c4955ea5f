import { LcService, response, serveLcService } from '@checkwire/lc-sdk';

// The handler the gateway and scheduler benchmarks call: answers at once.
class BenchService extends LcService {
  constructor() {
    super('bench');
  }
  override onRequest() {
    return response({ data: { pong: true } });
  }
  override every1HourPerSensor() {
    return true;
  }
}

const server = await serveLcService(new BenchService(), { port: 0 });
console.log(`bench-handler listening on ${server.address}`);
process.on('SIGTERM', () => void server.shutdown(100).then(() => process.exit(0)));
