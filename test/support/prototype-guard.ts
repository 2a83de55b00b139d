/**
 * After every test file: nothing a test sent reached Object.prototype or Array.prototype, in the
 * file's own realm or in the realm Node's builtins create objects in (structuredClone, http).
 * Loaded by jest (setupFilesAfterEnv), so it runs after the whole suite, the robustness suite included.
 */
afterAll(() => {
  const keys = (proto: object) => {
    const out: string[] = [];
    for (const k in proto) out.push(k);
    return out;
  };
  const outerObject = Object.getPrototypeOf(structuredClone({})) as object;
  const outerArray = Object.getPrototypeOf(structuredClone([])) as object;
  expect({ object: keys(Object.prototype), array: keys(Array.prototype), outerObject: keys(outerObject), outerArray: keys(outerArray) }).toEqual({
    object: [],
    array: [],
    outerObject: [],
    outerArray: [],
  });
});
