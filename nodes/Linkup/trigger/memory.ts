/**
 * What the LinkupAPI Trigger keeps in this n8n process's memory, never in static data (n8n writes
 * static data to its database after every call that changes it). Each n8n process (main or webhook
 * process) has its own.
 */
import { RefusalLog } from './refusalLog';
import { ReplayMemory } from './replays';

/** Accepted deliveries, for the whole process: a signature is an HMAC under one webhook's secret. */
export const acceptedDeliveries = new ReplayMemory();

/** Why deliveries were refused, rate-limited per trigger. */
export const refusalLog = new RefusalLog();
