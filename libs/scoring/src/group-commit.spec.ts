import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A write that records each group it is given and answers when the test says so. */
function recordingWrite() {
  const groups: number[][] = [];
  const release: (() => void)[] = [];
  const write = (items: number[]) => {
    groups.push(items);
    return new Promise<string[]>((resolve) =>
      release.push(() => resolve(items.map((i) => `done ${i}`))),
    );
  };
  return { groups, release, write };
}

/** Lets every settled promise run its continuations (a group's end starts the next). */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

const pgError = (message: string) => Object.assign(new Error(message), { code: '23514' });

describe('GroupCommit', () => {
  it('writes a lone call at once, and groups the calls that arrive while writes are under way', async () => {
    const w = recordingWrite();
    const g = new GroupCommit<number, string>({
      spanName: 'test.group',
      write: w.write,
      key: (i) => i,
      maxInFlight: 2,
    });
    const first = g.submit(1);
    expect(w.groups).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((i) => g.submit(i));
    // The second slot takes 2 at once; 3..5 wait for a slot and then go together.
    expect(w.groups).toEqual([[1], [2]]);
    w.release.shift()!();
    await drain();
    expect(await first).toBe('done 1');
    expect(w.groups).toEqual([[1], [2], [3, 4, 5]]);
    w.release.shift()!();
    w.release.shift()!();
    expect(await Promise.all(rest)).toEqual(['done 2', 'done 3', 'done 4', 'done 5']);
  });

  it("sends the next group to the database before answering the last group's callers", async () => {
    const answered: number[] = [];
    const startedWith: { group: number[]; answeredBefore: number[] }[] = [];
    const w = recordingWrite();
    const g = new GroupCommit<number, string>({
      spanName: 'test.group',
      write: (items) => {
        startedWith.push({ group: items, answeredBefore: [...answered] });
        return w.write(items);
      },
      key: (i) => i,
      maxInFlight: 1,
    });
    const calls = [1, 2, 3].map((i) => g.submit(i).then((out) => (answered.push(i), out)));
    w.release.shift()!();
    await drain();
    // [2, 3] went out while 1 was still unanswered; 1 was answered after.
    expect(startedWith).toEqual([
      { group: [1], answeredBefore: [] },
      { group: [2, 3], answeredBefore: [] },
    ]);
    expect(answered).toEqual([1]);
    w.release.shift()!();
    expect(await Promise.all(calls)).toEqual(['done 1', 'done 2', 'done 3']);
  });

  it('puts one item per key in a group; a repeated key waits for the next group, in order', async () => {
    const w = recordingWrite();
    const g = new GroupCommit<number, string>({
      spanName: 'test.group',
      write: w.write,
      key: (i) => i % 10,
      maxInFlight: 1,
    });
    const all = [1, 2, 11, 3, 21, 12].map((i) => g.submit(i));
    expect(w.groups).toEqual([[1]]);
    w.release.shift()!();
    await drain();
    expect(w.groups.at(-1)).toEqual([2, 11, 3]);
    w.release.shift()!();
    await drain();
    expect(w.groups.at(-1)).toEqual([21, 12]);
    w.release.shift()!();
    expect(await Promise.all(all)).toEqual([1, 2, 11, 3, 21, 12].map((i) => `done ${i}`));
  });

  it('holds at most maxGroup items in a group', async () => {
    const w = recordingWrite();
    const g = new GroupCommit<number, string>({
      spanName: 'test.group',
      write: w.write,
      key: (i) => i,
      maxGroup: 2,
      maxInFlight: 1,
    });
    const all = [1, 2, 3, 4, 5].map((i) => g.submit(i));
    for (let i = 0; i < 3; i++) {
      w.release.shift()!();
      await drain();
    }
    expect(w.groups).toEqual([[1], [2, 3], [4, 5]]);
    await Promise.all(all);
  });

  it('gives each caller its own answer when PostgreSQL refuses a group: the items go again alone', async () => {
    const groups: number[][] = [];
    const g = new GroupCommit<number, number>({
      spanName: 'test.group',
      key: (i) => i,
      maxInFlight: 1,
      write: (items) => {
        groups.push(items);
        if (items.includes(13)) return Promise.reject(pgError(`13 is refused`));
        return Promise.resolve(items.map((i) => i * 2));
      },
    });
    const all = [1, 2, 13, 4].map((i) => g.submit(i).catch((err: Error) => err.message));
    expect(await Promise.all(all)).toEqual([2, 4, '13 is refused', 8]);
    expect(groups).toEqual([[1], [2, 13, 4], [2], [13], [4]]);
  });

  it('gives every caller of the group the error when the write failed otherwise (it may have committed)', async () => {
    const groups: number[][] = [];
    const g = new GroupCommit<number, number>({
      spanName: 'test.group',
      key: (i) => i,
      maxInFlight: 1,
      write: (items) => {
        groups.push(items);
        if (items.length > 1) return Promise.reject(new Error('connection terminated'));
        return Promise.resolve(items);
      },
    });
    const all = [1, 2, 3].map((i) => g.submit(i).catch((err: Error) => err.message));
    expect(await Promise.all(all)).toEqual([1, 'connection terminated', 'connection terminated']);
    expect(groups).toEqual([[1], [2, 3]]);
  });

  it('fails the group whose write returns the wrong number of outcomes, and goes on', async () => {
    let calls = 0;
    const g = new GroupCommit<number, number>({
      spanName: 'test.group',
      key: (i) => i,
      maxInFlight: 1,
      write: (items) => Promise.resolve(++calls === 1 ? [] : items),
    });
    await expect(g.submit(1)).rejects.toThrow('group write returned 0 outcomes for 1 items');
    expect(await g.submit(2)).toBe(2);
  });

  it('does not write the item of a call that ended before its group started', async () => {
    const w = recordingWrite();
    const g = new GroupCommit<number, string>({
      spanName: 'test.group',
      write: w.write,
      key: (i) => i,
      maxInFlight: 1,
    });
    const first = g.submit(1);
    const gone = new AbortController();
    const abandoned = g.submit(2, gone.signal).catch((err: Error) => err.message);
    const kept = g.submit(3);
    gone.abort();
    w.release.shift()!();
    await drain();
    expect(w.groups).toEqual([[1], [3]]);
    w.release.shift()!();
    expect(await Promise.all([first, abandoned, kept])).toEqual([
      'done 1',
      'the call ended before its write started; nothing was written',
      'done 3',
    ]);
    const ended = AbortSignal.abort();
    await expect(g.submit(4, ended)).rejects.toThrow('the call ended before its write started');
    expect(w.groups).toHaveLength(2);
  });

  it('refuses calls beyond maxQueued while the database is behind, and takes them again later', async () => {
    const w = recordingWrite();
    const g = new GroupCommit<number, string>({
      spanName: 'test.group',
      write: w.write,
      key: (i) => i,
      maxInFlight: 1,
      maxQueued: 2,
    });
    const written = [g.submit(1), g.submit(2), g.submit(3)];
    await expect(g.submit(4)).rejects.toThrow(
      '2 calls are waiting for the database already; try again shortly',
    );
    w.release.shift()!();
    await drain();
    expect(w.groups).toEqual([[1], [2, 3]]);
    const later = g.submit(4);
    w.release.shift()!();
    await drain();
    w.release.shift()!();
    expect(await Promise.all([...written, later])).toEqual([
      'done 1',
      'done 2',
      'done 3',
      'done 4',
    ]);
  });
});
