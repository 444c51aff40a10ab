import type { INode } from 'n8n-workflow';

import { holdsExpression, NodeParameters } from '../../../../nodes/Seedance/base/nodeParameters';

describe('holdsExpression', () => {
	it('finds an expression at any depth of a raw value', () => {
		expect(holdsExpression('={{ $json.prompt }}')).toBe(true);
		expect(holdsExpression({ entries: [{ url: 'https://a.test/x.png', role: '={{ $json.role }}' }] })).toBe(true);
		expect(holdsExpression({ timeout: 60, notifyEvents: ['job.completed'] })).toBe(false);
		expect(holdsExpression('a = b')).toBe(false);
		expect(holdsExpression(undefined)).toBe(false);
	});
});

describe('NodeParameters', () => {
	function readerOf(parameters: Record<string, unknown>) {
		const reads: Array<[string, number]> = [];
		const node = { parameters } as unknown as INode;
		const reader = new NodeParameters({
			getNode: () => node,
			getNodeParameter: ((name: string, itemIndex: number, fallback: unknown) => {
				reads.push([name, itemIndex]);
				const value = parameters[name] ?? fallback;
				return typeof value === 'string' && value.startsWith('=') ? `${value.slice(1)}#${itemIndex}` : value;
			}) as never,
		});
		return { reader, reads };
	}

	it('reads a fixed parameter once per run and one with an expression once per item', () => {
		const { reader, reads } = readerOf({ model: 'seedance-2', prompt: '=p' });
		for (const itemIndex of [0, 1, 1, 2, 0]) {
			expect(reader.get('model', itemIndex, '')).toBe('seedance-2');
			expect(reader.get('prompt', itemIndex, '')).toBe(`p#${itemIndex}`);
			expect(reader.get('prompt', itemIndex, '')).toBe(`p#${itemIndex}`);
		}
		expect(reads).toEqual([
			['model', 0],
			['prompt', 0],
			['prompt', 1],
			['prompt', 2],
		]);
	});

	it('answers the fallback for a parameter the node does not have', () => {
		const { reader } = readerOf({});
		expect(reader.get('inputMode', 3, 'text')).toBe('text');
	});
});
