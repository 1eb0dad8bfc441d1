// Jest in native ESM mode (run with NODE_OPTIONS=--experimental-vm-modules): no transform, the
// suite is plain JavaScript importing the built package.
export default {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.test.mjs'],
  transform: {},
};
