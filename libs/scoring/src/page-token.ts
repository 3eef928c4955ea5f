import { InvalidArgumentError } from '@checkwire/errors';

/** Keyset paging: the token is the last id of the previous page, opaque to clients. */
export function encodePageToken(lastId: number): string {
  return Buffer.from(`v1:${lastId}`).toString('base64url');
}

export function decodePageToken(token: string): number | undefined {
  if (token === '') return undefined;
  const match = /^v1:(\d{1,16})$/.exec(Buffer.from(token, 'base64url').toString());
  const id = match?.[1] === undefined ? NaN : Number(match[1]);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidArgumentError('page_token', 'malformed; pass next_page_token back unchanged');
  }
  return id;
}

export function pageSize(field: string, requested: number): number {
  if (requested === 0) return 100;
  if (!Number.isInteger(requested) || requested < 1 || requested > 1000) {
    throw new InvalidArgumentError(field, `must be 1..1000 (0 means 100), got ${requested}`);
  }
  return requested;
}
