// Page tests: miniprogram-simulate renders the real pages and TDesign components in jsdom, against a
// ParkSafe server that test/support/global-setup.js builds from the repository and starts.
// The phones of the tests live in a zone far from the park's (+08:00), so that a time shown in the
// phone's zone rather than the park's fails a test; the workers inherit it.
process.env.TZ = 'America/New_York';

module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.js'],
  moduleDirectories: ['node_modules', 'miniprogram_npm'],
  transform: { '\\.js$': 'babel-jest' },
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  setupFiles: ['<rootDir>/test/support/setup-wx.js'],
  testTimeout: 30000,
  maxWorkers: 2,
};
