// One alias table for unit and e2e projects, read from tsconfig.json so they never drift.
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = `<rootDir>/${target}`;
  moduleNameMapper[`^${alias}/(.*)$`] = `<rootDir>/${target}/$1`;
}

const swc = (parser) => [
  '@swc/jest',
  {
    swcrc: false,
    sourceMaps: 'inline',
    jsc: {
      parser,
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

// Dependencies that ship ES modules only (content-disposition, under @fastify/static):
// jest on Node 20 cannot require them, so they are compiled like our own code.
const esmOnly = ['content-disposition'];

const common = {
  rootDir: __dirname,
  moduleNameMapper,
  transform: {
    '^.+\\.ts$': swc({ syntax: 'typescript', decorators: true }),
    '^.+\\.js$': swc({ syntax: 'ecmascript' }),
  },
  transformIgnorePatterns: [`/node_modules/(?!(.*/)?(${esmOnly.join('|')})/)`],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // End-to-end tests wait for webhooks; unit tests finish far sooner anyway.
  testTimeout: 60000,
  projects: [
    // Unit specs sit beside their sources; test/*.spec.ts are the repository-wide checks (lint rules).
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/*.spec.ts'] },
    // The middle level: services and handlers on a real database, no HTTP, no Stripe simulator.
    { ...common, displayName: 'db', testMatch: ['<rootDir>/test/**/*.db-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
