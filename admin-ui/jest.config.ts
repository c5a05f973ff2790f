import type { Config } from 'jest';
import { createCjsPreset } from 'jest-preset-angular/presets';

/**
 * Component and store tests of the admin console. Runs alone
 * (`npx jest -c admin-ui/jest.config.ts`) or as the `admin-ui` project of the root config.
 */
const config: Config = {
  ...createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  displayName: 'admin-ui',
  rootDir: __dirname,
  roots: ['<rootDir>/src'],
  setupFilesAfterEnv: ['<rootDir>/src/setup-jest.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    '^@meridian/api-client$': '<rootDir>/../libs/api-client/src/index.ts',
    // marked ships ESM only; jest loads its UMD build.
    '^marked$': '<rootDir>/../node_modules/marked/lib/marked.umd.js',
  },
  collectCoverageFrom: ['<rootDir>/src/app/**/*.ts', '!<rootDir>/src/app/**/*.spec.ts'],
};

export default config;
