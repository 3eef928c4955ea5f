import { parseArgs } from 'node:util';
import { LcCloudStandin, newOid } from './standin.server.js';

/**
 * Runs the stand-in of LimaCharlie's cloud by hand: one org with `--sensors` sensors, and a JWT
 * for it with every permission the stand-in checks. Prints them as JSON, serves until SIGINT/SIGTERM.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    sensors: { type: 'string', default: '1' },
  },
});
const port = Number(values.port);
const sensors = Number(values.sensors);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: must be a TCP port 0..65535, got ${values.port}`);
  process.exit(2);
}
if (!Number.isInteger(sensors) || sensors < 0) {
  console.error(`--sensors: must be a whole number, got ${values.sensors}`);
  process.exit(2);
}

const standin = await LcCloudStandin.start({ port });
const oid = newOid();
const sids = Array.from({ length: sensors }, () => standin.addSensor(oid));
const perms = ['sensor.task', 'dr.set', 'dr.del', 'dr.set.managed', 'dr.del.managed'];
perms.push('dr.set.replicant', 'dr.del.replicant');
const jwt = standin.issueJwt({ oid, perms });
console.log(JSON.stringify({ url: standin.url, oid, sids, jwt }, null, 2));
console.log("lc-cloud-standin: a stand-in of LimaCharlie's REST API; Ctrl-C stops it");

const stop = () => {
  void standin.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
