import { Extension, ExtensionError } from '@checkwire/lc-sdk';
import { createLogger } from '@checkwire/log';

const LOG = createLogger('lc-example');

/**
 * A small LimaCharlie extension written with the SDK, served beside the example service: `ping`
 * echoes a message; `remind` answers at once and asks for a continuation, which the scheduler
 * delivers (durably, once) `in_seconds` later as the `reminder` action, logged here.
 */
export class ExampleExtension extends Extension {
  constructor() {
    super('example-ext');
    this.setConfigSchema({
      fields: { greeting: { data_type: 'string', description: 'prefixed to every pong' } },
      requirements: [],
    });
    this.action(
      'ping',
      {
        shortDescription: 'echoes a message',
        parameters: {
          fields: { message: { data_type: 'string', description: 'what to echo' } },
          requirements: [['message']],
        },
      },
      (ctx) => {
        const greeting = typeof ctx.config.greeting === 'string' ? `${ctx.config.greeting} ` : '';
        return { data: { pong: `${greeting}${String(ctx.data.message)}` } };
      },
    );
    this.action(
      'remind',
      {
        shortDescription: 'logs a message later (a continuation)',
        parameters: {
          fields: {
            message: { data_type: 'string', description: 'what to log' },
            in_seconds: { data_type: 'integer', description: 'when (at most a day)' },
          },
          requirements: [['message'], ['in_seconds']],
        },
      },
      (ctx) => {
        const seconds = Number(ctx.data.in_seconds);
        if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) {
          throw new ExtensionError('in_seconds must be a whole number from 0 to 86400', {
            retriable: false,
          });
        }
        return {
          data: { scheduled: true, in_seconds: seconds },
          continuations: [
            { inDelaySec: seconds, action: 'reminder', state: { message: ctx.data.message } },
          ],
        };
      },
    );
    this.action('reminder', { isUserFacing: false }, (ctx) => {
      LOG.announce(
        `reminder for ${ctx.org.oid} (attempt ${ctx.continuation?.attempt ?? 1}): ${String(ctx.data.message)}`,
      );
      return { data: {} };
    });
    this.onEvent('subscribe', (ctx) => {
      LOG.announce(`${ctx.org.oid} subscribed to example-ext`);
      return { data: {} };
    });
    this.onEvent('unsubscribe', () => ({ data: {} }));
  }
}
