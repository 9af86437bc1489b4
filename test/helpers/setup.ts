/** Mocha root hooks shared by every suite. */
import { serverReachable, dropStaleTestDatabases } from './pg';
import { setLogLevel } from '../../src/log';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    setLogLevel((process.env.LOG_LEVEL as 'debug' | undefined) ?? 'silent');
    if (await serverReachable()) await dropStaleTestDatabases();
  },
};
