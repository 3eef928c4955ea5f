import { Job, LcService, response, type CallbackContext } from '@checkwire/lc-sdk';

/** The job each org's callbacks narrate into (one per org, so redelivery is easy to see). */
export const jobIdOf = (org: number) => `fa017000-0000-4000-8000-${String(org).padStart(12, '0')}`;

/**
 * The LC handler the fault suite drives: a `request` naming an `entry` narrates it into its org's
 * job (the message is the entry's name, so what LimaCharlie receives can be matched against what
 * was acknowledged); one without an entry returns nothing new, to drain what is undelivered.
 */
export class FaultHandler extends LcService {
  constructor() {
    super('faults');
  }

  override onRequest(ctx: CallbackContext) {
    const entry = ctx.data.entry;
    if (typeof entry !== 'string') return response({});
    const org = Number(ctx.data.org);
    return response({ jobs: [new Job('fault suite', jobIdOf(org)).narrate(entry)] });
  }
}
