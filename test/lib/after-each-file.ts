// Runs in every kit test file (vitest.kit.config.ts `setupFiles`): the temporary folders the file
// made with tempDir() go when it ends.
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.js';

afterAll(removeTempDirs);
