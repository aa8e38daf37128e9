// The LinkupAPI Trigger's Timestamp Tolerance limit, checked on activation and shown in the editor.
import type { IDataObject } from 'n8n-workflow';
import {
	activate,
	calls,
	hook,
	parameters,
	trigger,
	useLinkupTriggerTests,
} from '../../../helpers/linkupTrigger';

useLinkupTriggerTests();

describe('Timestamp Tolerance is capped at one hour', () => {
	it('activation with more than 3600 s is refused before any API call, saying what to change', async () => {
		const h = hook({}, { parameters: parameters({ options: { timestampToleranceSeconds: 86400 } }) });
		await expect(activate(h)).rejects.toThrow(
			'Timestamp Tolerance is 86400 seconds, but at most 3600 (one hour) is allowed',
		);
		expect(calls()).toEqual([]);
	});

	it('the option says so in the editor', () => {
		const options = trigger.description.properties.find((property) => property.name === 'options')!;
		const tolerance = (options.options as Array<{ name: string; typeOptions?: IDataObject }>).find(
			(option) => option.name === 'timestampToleranceSeconds',
		)!;
		expect(tolerance.typeOptions).toMatchObject({ maxValue: 3600 });
	});
});
