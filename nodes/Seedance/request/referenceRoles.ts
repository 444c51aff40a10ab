/**
 * What each reference is for. Apiframe's request has no role field (seedanceParams takes only URL
 * lists), so a role travels in the prompt: one instruction sentence per tagged reference.
 *
 * A reference is named by its position in its own list, 1-based ("image 2" is the second URL of
 * reference_image_urls), in the words ByteDance's own API sample uses, followed by the `@Image2`
 * tag most gateways document. Whichever of the two the service reads, the sentence names the
 * right file; an untagged reader still sees "image 2".
 */

export type ReferenceKind = 'image' | 'video' | 'audio';

export interface ReferenceRole {
	kind: ReferenceKind;
	/** The option's value, as a workflow or a sheet column stores it. */
	value: string;
	/** The option's name in the node. */
	name: string;
	/** The sentence added to the prompt; `{ref}` becomes e.g. `image 2 (@Image2)`. */
	sentence: string;
}

/** The one table of roles and the sentence each adds. */
export const REFERENCE_ROLES: readonly ReferenceRole[] = [
	{ kind: 'image', value: 'character', name: 'Character', sentence: 'Keep the character from {ref} consistent: same face, hair and clothing.' },
	{ kind: 'image', value: 'style', name: 'Style', sentence: 'Match the visual style of {ref}: colours, lighting and texture.' },
	{ kind: 'image', value: 'scene', name: 'Scene or Background', sentence: 'Use the scene in {ref} as the setting and background.' },
	{ kind: 'image', value: 'product', name: 'Object or Product', sentence: 'Show the object in {ref} exactly as it appears: shape, colours, logo and details.' },
	{ kind: 'image', value: 'composition', name: 'Composition', sentence: 'Follow the composition and framing of {ref}.' },
	{ kind: 'video', value: 'camera', name: 'Camera Movement', sentence: 'Replicate the camera movement of {ref}.' },
	{ kind: 'video', value: 'motion', name: 'Motion or Choreography', sentence: 'Reproduce the motion and choreography of {ref}.' },
	{ kind: 'video', value: 'effects', name: 'Effects', sentence: 'Reproduce the visual effects and transitions of {ref}.' },
	{ kind: 'video', value: 'edit', name: 'Clip to Edit', sentence: 'Edit {ref} as described; keep everything not mentioned unchanged.' },
	{ kind: 'audio', value: 'music', name: 'Music and Rhythm', sentence: 'Use {ref} as the background music and time the cuts to its rhythm.' },
	{ kind: 'audio', value: 'voice', name: 'Voice', sentence: 'Give the speaking character the voice and timbre of {ref}.' },
	{ kind: 'audio', value: 'soundEffects', name: 'Sound Effects', sentence: 'Use the sound effects from {ref}.' },
];

/** The value of the role that adds nothing: the field's default. */
export const NO_ROLE = 'none';
const NO_ROLE_NAME = 'None';

/** The order the sentences come in: images, then videos, then audios, each by position. */
export const REFERENCE_KINDS: readonly ReferenceKind[] = ['image', 'video', 'audio'];

const KIND_NAMES: Record<ReferenceKind, string> = { image: 'Image', video: 'Video', audio: 'Audio' };

/** The Role field's options for one kind of reference, in the node's alphabetical order. */
export function roleOptions(kind: ReferenceKind): Array<{ name: string; value: string }> {
	return [{ name: NO_ROLE_NAME, value: NO_ROLE }, ...REFERENCE_ROLES.filter((role) => role.kind === kind)]
		.map(({ name, value }) => ({ name, value }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export type RoleLookup = { ok: true; role: ReferenceRole | null } | { ok: false; allowed: string };

/**
 * The role a Role field (or the expression in it) names: its value or its name, in any case.
 * Empty and "None" mean no role.
 */
export function findRole(kind: ReferenceKind, given: unknown): RoleLookup {
	const text = given === undefined || given === null ? '' : String(given).trim().toLowerCase();
	if (text === '' || text === NO_ROLE) return { ok: true, role: null };
	const role = REFERENCE_ROLES.find(
		(candidate) => candidate.kind === kind && (candidate.value === text || candidate.name.toLowerCase() === text),
	);
	if (role) return { ok: true, role };
	const allowed = roleOptions(kind)
		.map(({ name, value }) => `${value} (${name})`)
		.join(', ');
	return { ok: false, allowed };
}

/** How a sentence names the reference at `position` (1-based) in its list, e.g. `image 2 (@Image2)`. */
export function referenceName(kind: ReferenceKind, position: number): string {
	return `${kind} ${position} (@${KIND_NAMES[kind]}${position})`;
}

/** The sentence a role adds for the reference at `position` (1-based) in its list. */
export function roleSentence(role: ReferenceRole, position: number): string {
	return role.sentence.replace('{ref}', referenceName(role.kind, position));
}

/** Each list's roles, in the order of its URLs; null where a reference has no role. */
export type ReferenceRoles = Record<ReferenceKind, Array<ReferenceRole | null>>;

/**
 * The prompt as sent: the prompt exactly as typed when no reference has a role; otherwise the
 * prompt, a new line, and one sentence per tagged reference. The sentences come after the user's
 * text so that their own words stay first (where Seedance's guide puts the subject), in a fixed
 * order (images, videos, audios, each by position) so the same row always gives the same prompt.
 */
export function promptWithRoles(prompt: string, roles: ReferenceRoles): string {
	const sentences = REFERENCE_KINDS.flatMap((kind) =>
		roles[kind].flatMap((role, index) => (role ? [roleSentence(role, index + 1)] : [])),
	);
	if (sentences.length === 0) return prompt;
	return `${prompt.trimEnd()}\n${sentences.join(' ')}`;
}
