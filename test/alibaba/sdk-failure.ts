/** The error an official Alibaba SDK call rejects with; fails the test if the call resolves. */
export async function sdkFailure(p: Promise<unknown>, checkErrorBody: (body: unknown) => void): Promise<any> {
  try {
    await p;
  } catch (err: any) {
    if (err && typeof err.data === 'object' && err.data !== null) {
      // openapi-client adds statusCode to the body it exposes; the wire body never has it.
      const { statusCode: _added, ...body } = err.data;
      checkErrorBody(body);
    }
    return err;
  }
  throw new Error('expected the call to fail');
}
