import type { INodeProperties } from 'n8n-workflow';

import { SEEDANCE_MODELS, type SeedanceModelSpec } from '../../../../nodes/Seedance/models/models';
import { buildGenerateRequest } from '../../../../nodes/Seedance/request/buildRequest';
import type { GenerateParams } from '../../../../nodes/Seedance/request/params';
import { generateFieldsFor } from '../../../../nodes/Seedance/v1/actions/video/generate.fields';

/** A model no one sells, unlike every real row in what it takes. */
const madeUp: SeedanceModelSpec = {
	id: 'seedance-made-up',
	label: 'Seedance Made Up',
	family: 'Seedance Made Up',
	durations: { values: [6, 9, 20] },
	resolutions: ['480p', '2k'],
	aspectRatios: ['16:9', '5:4'],
	references: { image: 2, video: 4, audio: 1, total: 5, videoSeconds: { min: 1, max: 20, total: 30 } },
	generation: 2,
};

function field(fields: INodeProperties[], name: string): INodeProperties {
	const found = fields.flatMap((entry) => [entry, ...((entry.options ?? []) as INodeProperties[])]).find((entry) => entry.name === name);
	if (!found) throw new Error(`no field ${name}`);
	return found;
}

const optionsOf = (fields: INodeProperties[], name: string) =>
	(field(fields, name).options as Array<{ name: string; value: string }>).map(({ name: label, value }) => [value, label]);

const params = (values: Partial<GenerateParams>): GenerateParams => ({
	model: madeUp.id,
	prompt: 'A lighthouse at dusk',
	inputMode: 'text',
	settings: {},
	...values,
});

describe('the model table as the Video fields show it', () => {
	const fields = generateFieldsFor(SEEDANCE_MODELS);

	it('offers each value some model takes, naming the models a value is limited to', () => {
		expect(optionsOf(fields, 'resolution')).toEqual([
			['480p', '480p'],
			['720p', '720p'],
			['1080p', '1080p (not Seedance 2.0 Fast or Seedance 2.0 Mini)'],
			['4k', '4K (Seedance 2.0 and Seedance 2.5)'],
		]);
		expect(optionsOf(fields, 'aspectRatio')).toEqual([
			['21:9', '21:9'],
			['16:9', '16:9'],
			['4:3', '4:3'],
			['1:1', '1:1'],
			['3:4', '3:4'],
			['9:16', '9:16'],
			['9:21', '9:21 (Seedance 1.0)'],
			['adaptive', 'Adaptive (Seedance 2.x)'],
		]);
	});

	it('states each group of models with its durations, and bounds the field by all of them', () => {
		const duration = field(fields, 'duration');
		expect(duration.description).toBe('Billed per second. Seedance 2.x: 4 to 15 seconds. Seedance 1.5 Pro: 4, 8 or 12. Seedance 1.0: 5 or 10.');
		expect(duration.typeOptions).toEqual({ minValue: 4, maxValue: 15 });
		expect(field(fields, 'referenceVideos').description).toContain('Clips (2 to 15 seconds each, 15 seconds in all)');
		expect(field(fields, 'referenceVideos').description).toContain('Up to 3.');
		expect(field(fields, 'webSearch').description).toContain('(Seedance 2.x)');
	});
});

describe('the values a chosen model is offered', () => {
	const fields = generateFieldsFor(SEEDANCE_MODELS);
	const settings = field(fields, 'videoSettings').options as INodeProperties[];
	/** The options of the `name` setting the panel shows when the Model field holds `model`. */
	const shownFor = (name: string, model: string) => {
		const shown = settings.filter((setting) => {
			if (setting.name !== name) return false;
			const show = setting.displayOptions?.show?.['/model'];
			const hide = setting.displayOptions?.hide?.['/model'];
			return (show === undefined || show.includes(model)) && !(hide ?? []).includes(model);
		});
		expect(shown).toHaveLength(1);
		return (shown[0].options as Array<{ value: string }>).map(({ value }) => value);
	};

	it('offers each model exactly the resolutions and aspect ratios the table gives it, with a default it takes', () => {
		for (const model of SEEDANCE_MODELS) {
			expect(shownFor('resolution', model.id)).toEqual(model.resolutions);
			expect([...shownFor('aspectRatio', model.id)].sort()).toEqual([...model.aspectRatios].sort());
		}
		expect(shownFor('resolution', 'seedance-2-fast')).not.toContain('1080p');
		for (const setting of settings.filter((entry) => entry.name === 'resolution' || entry.name === 'aspectRatio')) {
			expect((setting.options as Array<{ value: string }>).map(({ value }) => value)).toContain(setting.default);
		}
	});

	it('offers every value, each naming its models, when the model is an expression', () => {
		expect(shownFor('resolution', '={{ $json.model }}')).toEqual(['480p', '720p', '1080p', '4k']);
	});
});

describe('a model added to the table', () => {
	beforeEach(() => {
		SEEDANCE_MODELS.push(madeUp);
	});
	afterEach(() => {
		SEEDANCE_MODELS.splice(SEEDANCE_MODELS.indexOf(madeUp), 1);
	});

	it('appears in the options and hints of the Video fields', () => {
		const fields = generateFieldsFor(SEEDANCE_MODELS);
		expect(optionsOf(fields, 'model')).toContainEqual([madeUp.id, madeUp.label]);
		expect(optionsOf(fields, 'resolution')).toContainEqual(['2k', '2k (Seedance Made Up)']);
		expect(optionsOf(fields, 'resolution')).toContainEqual(['480p', '480p']);
		expect(optionsOf(fields, 'aspectRatio').map(([value]) => value)).toEqual(['21:9', '16:9', '4:3', '5:4', '1:1', '3:4', '9:16', '9:21', 'adaptive']);
		expect(optionsOf(fields, 'aspectRatio')).toContainEqual(['21:9', '21:9 (not Seedance Made Up)']);
		expect(optionsOf(fields, 'aspectRatio')).toContainEqual(['5:4', '5:4 (Seedance Made Up)']);
		const duration = field(fields, 'duration');
		expect(duration.description).toContain('Seedance Made Up: 6, 9 or 20.');
		expect(duration.typeOptions).toEqual({ minValue: 4, maxValue: 20 });
		expect(field(fields, 'referenceVideos').description).toContain('Clips (1 to 20 seconds each, 30 seconds in all)');
		expect(field(fields, 'referenceVideos').description).toContain('Up to 4.');
	});

	it('is validated by its own row', () => {
		expect(buildGenerateRequest(params({ settings: { duration: 9, resolution: '2k', aspectRatio: '5:4' } }))).toMatchObject({
			ok: true,
			body: { model: madeUp.id, seedanceParams: { duration: 9, resolution: '2k', aspect_ratio: '5:4' } },
		});
		expect(buildGenerateRequest(params({ settings: { duration: 8, resolution: '720p', aspectRatio: '16:9' } }))).toEqual({
			ok: false,
			issues: [
				{ field: 'Video Settings › Duration (Seconds)', message: 'must be 6, 9, 20 seconds for Seedance Made Up' },
				{ field: 'Video Settings › Resolution', message: 'is not available for Seedance Made Up: choose 480p, 2k' },
			],
		});
		const images = ['https://x.test/1.png', 'https://x.test/2.png', 'https://x.test/3.png'];
		const tooMany = buildGenerateRequest(params({ inputMode: 'reference', referenceImages: images }));
		expect(tooMany).toEqual({
			ok: false,
			issues: [{ field: 'Reference Images', message: 'has too many images: Seedance takes at most 2' }],
		});
		const longClip = buildGenerateRequest(
			params({ inputMode: 'reference', referenceVideos: ['https://x.test/a.mp4'], referenceVideoDurations: [20] }),
		);
		expect(longClip.ok).toBe(true);
	});
});
