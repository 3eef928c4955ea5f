/** Awaits a call that must fail and returns its gRPC status code and details. */
export async function grpcError(
  call: Promise<unknown>,
): Promise<{ code: number; details: string }> {
  try {
    await call;
  } catch (err) {
    const e = err as { code: number; details: string };
    return { code: e.code, details: e.details };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
