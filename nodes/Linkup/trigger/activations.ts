/**
 * n8n activates a webhook node with two hook calls, `checkExists` and then `create` when it
 * answered false. A deactivation's `delete` can run between the two (n8n 1.x activates and
 * deactivates concurrently; n8n 2.x outside its publication lock): the create that follows then
 * belongs to a deactivated workflow, and nothing would ever delete what it made. These sets record
 * that, per trigger (lifecycle/context.ts triggerKey), in this process; one entry per node at most.
 */
import { triggerKey, type LifecycleContext } from '../lifecycle/context';

/** `checkExists` answered false and its `create` has not started yet. */
const awaitingCreate = new Set<string>();
/** A `delete` ran while a create was awaited: that create must not happen. */
const deactivated = new Set<string>();

/** `checkExists` answered: a new activation begins. */
export function activationChecked(ctx: LifecycleContext, exists: boolean): void {
	const key = triggerKey(ctx);
	deactivated.delete(key);
	if (exists) awaitingCreate.delete(key);
	else awaitingCreate.add(key);
}

/** `delete` runs: an activation still waiting for its create is over. */
export function activationEnded(ctx: LifecycleContext): void {
	const key = triggerKey(ctx);
	if (awaitingCreate.delete(key)) deactivated.add(key);
}

/** `create` starts: false when its workflow was deactivated since its `checkExists`. */
export function createStillWanted(ctx: LifecycleContext): boolean {
	const key = triggerKey(ctx);
	awaitingCreate.delete(key);
	return !deactivated.delete(key);
}
