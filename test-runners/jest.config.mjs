// Jest in native ESM mode (run with NODE_OPTIONS=--experimental-vm-modules): no transform, the
// suite is plain JavaScript importing the built package.
export default {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.test.mjs'],
  transform: {},
  // Tests start real Nest apps; on a shared, loaded CI machine that can exceed Jest's 5 s default.
  testTimeout: 60_000,
};
