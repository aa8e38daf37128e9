// Loaded before every unit test file (jest.config.js, setupFilesAfterEnv).
import { holdLateCreateChecks } from './lateCreateChecks';

holdLateCreateChecks();
