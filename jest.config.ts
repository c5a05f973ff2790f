import type { Config } from 'jest';

type ProjectConfig = Exclude<NonNullable<Config['projects']>[number], string>;

const backend: ProjectConfig = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/backend/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  rootDir: __dirname,
};

const config: Config = {
  projects: [
    { ...backend, displayName: 'backend', testMatch: ['<rootDir>/backend/src/**/*.spec.ts'] },
    {
      ...backend,
      displayName: 'e2e',
      testMatch: ['<rootDir>/backend/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/backend/test/support/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/backend/test/support/setup.ts'],
    },
    '<rootDir>/admin-ui/jest.config.ts',
  ],
};

export default config;
