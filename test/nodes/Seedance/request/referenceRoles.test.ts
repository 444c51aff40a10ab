import {
	findRole,
	promptWithRoles,
	REFERENCE_ROLES,
	roleOptions,
	type ReferenceRole,
} from '../../../../nodes/Seedance/request/referenceRoles';

function role(kind: ReferenceRole['kind'], value: string): ReferenceRole {
	const found = REFERENCE_ROLES.find((candidate) => candidate.kind === kind && candidate.value === value);
	if (!found) throw new Error(`no ${kind} role ${value}`);
	return found;
}

describe('reference roles', () => {
	it('offers None and each kind\'s roles, sorted by name, with one sentence per role', () => {
		expect(roleOptions('image').map((option) => option.name)).toEqual([
			'Character',
			'Composition',
			'None',
			'Object or Product',
			'Scene or Background',
			'Style',
		]);
		expect(roleOptions('video').map((option) => option.value)).toEqual(['camera', 'edit', 'effects', 'motion', 'none']);
		expect(roleOptions('audio').map((option) => option.value)).toEqual(['music', 'none', 'soundEffects', 'voice']);
		for (const entry of REFERENCE_ROLES) expect(entry.sentence.match(/\{ref\}/g)).toHaveLength(1);
	});

	it('finds a role by value or name in any case; empty and None mean no role', () => {
		expect(findRole('image', 'character')).toEqual({ ok: true, role: role('image', 'character') });
		expect(findRole('image', '  object or PRODUCT ')).toEqual({ ok: true, role: role('image', 'product') });
		expect(findRole('audio', 'Sound Effects')).toEqual({ ok: true, role: role('audio', 'soundEffects') });
		expect(findRole('video', 'effects')).toEqual({ ok: true, role: role('video', 'effects') });
		for (const none of ['', 'none', 'None', undefined, null]) expect(findRole('video', none)).toEqual({ ok: true, role: null });
	});

	it('refuses a role of another kind or an unknown one, listing what is allowed', () => {
		expect(findRole('audio', 'camera')).toEqual({
			ok: false,
			allowed: 'music (Music and Rhythm), none (None), soundEffects (Sound Effects), voice (Voice)',
		});
		expect(findRole('image', 'hero').ok).toBe(false);
	});

	it('appends one sentence per tagged reference: images, videos, audios, by position in their own list', () => {
		const prompt = promptWithRoles('A woman walks through a night market.  ', {
			image: [role('image', 'character'), null, role('image', 'product')],
			video: [role('video', 'camera')],
			audio: [role('audio', 'music')],
		});
		expect(prompt).toBe(
			'A woman walks through a night market.\n' +
				'Keep the character from image 1 (@Image1) consistent: same face, hair and clothing. ' +
				'Show the object in image 3 (@Image3) exactly as it appears: shape, colours, logo and details. ' +
				'Replicate the camera movement of video 1 (@Video1). ' +
				'Use audio 1 (@Audio1) as the background music and time the cuts to its rhythm.',
		);
	});

	it('sends a prompt without tagged references exactly as typed', () => {
		const typed = '  Two foxes play in the snow \n';
		expect(promptWithRoles(typed, { image: [null, null], video: [], audio: [null] })).toBe(typed);
	});
});
