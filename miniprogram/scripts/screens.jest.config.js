// Jest runs only the screens walk with this configuration (scripts/screens.sh; `npx jest` never sees it):
// the page tests' harness and server, with SCREENS=1 set by the script.
const base = require('../jest.config');

module.exports = { ...base, rootDir: '..', roots: ['<rootDir>/scripts'], testMatch: ['**/scripts/screens.test.js'], maxWorkers: 1 };
