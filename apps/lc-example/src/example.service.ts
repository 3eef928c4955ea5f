import {
  hexDump,
  Job,
  json,
  LcService,
  response,
  table,
  yaml,
  type CallbackContext,
} from '@checkwire/lc-sdk';

const DETECTION_RULE = `detect:
  event: DNS_REQUEST
  op: ends with
  path: event/DOMAIN_NAME
  value: .example-bad.com
respond:
  - action: report
    name: suspicious-dns
`;

/**
 * A small LimaCharlie service written with the SDK: a request narrates a job with a table of the
 * sensors it was given, the request as hex and JSON; it declares a request parameter, a detection
 * subscription and a resource (a D&R rule).
 */
export class ExampleService extends LcService {
  constructor() {
    super('example');
    this.setRequestParameters({
      action: {
        type: 'enum',
        values: ['list_sensors', 'ping'],
        isRequired: true,
        desc: 'what to do',
      },
      sensors: { type: 'str', desc: 'comma-separated sensor ids (list_sensors)' },
    });
    this.subscribeToDetect('suspicious-dns');
    this.publishResource('suspicious-dns', 'detect', DETECTION_RULE);
  }

  override onRequest(ctx: CallbackContext) {
    if (ctx.data.action === 'ping') return response({ data: { pong: true } });
    const sensors = (typeof ctx.data.sensors === 'string' ? ctx.data.sensors : '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const job = new Job(`list_sensors requested for ${ctx.oid}`);
    for (const sid of sensors) job.addSensor(sid);
    job.narrate(`${sensors.length} sensor(s) listed`, {
      important: sensors.length === 0,
      attachments: [
        table(
          'sensors',
          ['#', 'sid'],
          sensors.map((sid, i) => [i + 1, sid]),
        ),
        hexDump('request data', JSON.stringify(ctx.data)),
        json('request', ctx.data),
        yaml('summary', { oid: ctx.oid, count: sensors.length }),
      ],
    });
    job.close();
    return response({ data: { count: sensors.length }, jobs: [job] });
  }

  override onOrgInstalled() {
    return true;
  }

  override every1HourPerOrg() {
    return true;
  }
}
