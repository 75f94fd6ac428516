// The fault-injection suite (`npm run test:faults`): modelled on the root jest.config.js and
// sharing its transform and path aliases (so the two never drift), with its own test files and
// generous timeouts: each scenario drives thousands of webhook deliveries, stops PostgreSQL or
// kills the service, and waits for every effect to settle.
const root = require('../../jest.config.js');

const e2e = root.projects.find((p) => p.displayName === 'e2e');
if (!e2e) throw new Error('test/faults/jest.config.js: the root jest.config.js has no "e2e" project to model on');

module.exports = {
  ...e2e,
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  // A scenario takes 20-60 s; a stuck one fails here rather than hanging CI.
  testTimeout: 150000,
};
