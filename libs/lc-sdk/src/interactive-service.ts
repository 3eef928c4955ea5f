import type { DescribeResponse } from '@checkwire/proto';
import type { Job } from './job.js';
import { LcService, type CallbackContext } from './lc-service.js';
import type { HandlerAnswer } from './response.js';

/** What a reply callback receives: lcservice's `callback(lc, oid, event, job, ctx)`. */
export interface ReplyContext extends CallbackContext {
  /** The sensor's event (the detection's `detect`), carrying the reply. */
  event: Record<string, unknown>;
  /** The job the task named, to narrate on (`new Job('', id)`); undefined when it named none. */
  job: Job | undefined;
  /** The context the task named. */
  context: string;
}

export type ReplyCallback = (ctx: ReplyContext) => Promise<HandlerAnswer> | HandlerAnswer;

/**
 * lcservice's InteractiveService: tasks sensors asynchronously (`ctx.task(sid, command,
 * 'callbackName', context, job)`) and gets each reply in the reply callback the task named. Name
 * the reply callbacks in the constructor with `replyCallback(name, fn)`. The gateway does the
 * rest (it holds the secret): the investigation ids, the D&R rule `svc-<service>-ex`, pushed on
 * org_install and every org_per_1h and deleted on org_uninstall, and routing replies here.
 */
export abstract class InteractiveService extends LcService {
  readonly #replies = new Map<string, ReplyCallback>();

  /** Declares a reply callback: tasks may name it; its replies reach `fn`. */
  protected replyCallback(name: string, fn: ReplyCallback): void {
    if (name === '') throw new Error('a reply callback needs a name');
    this.#replies.set(name, fn.bind(this));
  }

  /** The reply callback of that name, if declared. */
  replyCallbackFor(name: string): ReplyCallback | undefined {
    return this.#replies.get(name);
  }

  override describe(): DescribeResponse {
    return { ...super.describe(), interactive: true, replyCallbacks: [...this.#replies.keys()] };
  }
}
