import { splitOf } from '../../bench/cpuProfile';

const frame = (id: number, url: string, functionName: string, children: number[] = []) => ({ id, callFrame: { url, functionName }, children });

describe("the bench's CPU split", () => {
	it('gives each sample to the innermost part on its stack and counts the node on the stack', () => {
		const profile = {
			nodes: [
				frame(1, '', '(root)', [2, 7, 8]),
				frame(2, 'file:///repo/dist-bench/nodes/Seedance/v1/actions/video/generate.operation.js', 'prepareItem', [3, 4, 5]),
				frame(3, 'file:///repo/node_modules/n8n-workflow/dist/cjs/expression.js', 'getParameterValue'),
				frame(4, 'file:///repo/node_modules/zod/lib/types.js', 'parse'),
				frame(5, 'file:///repo/node_modules/n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions.js', 'httpRequest', [6]),
				frame(6, 'file:///repo/node_modules/n8n-core/dist/binary-data/file-system.manager.js', 'store'),
				frame(7, 'file:///repo/node_modules/n8n-core/dist/execution-engine/workflow-execute.js', 'runNode'),
				frame(8, '', '(idle)'),
			],
			samples: [3, 4, 5, 6, 7, 8],
			timeDeltas: [1000, 2000, 3000, 4000, 5000, 6000],
		};
		const split = splitOf(profile);
		expect(split.parts).toEqual({ node: 2, expressions: 1, requestHelpers: 3, binaryStorage: 4, other: 5 });
		expect(split.totalMs).toBe(15);
		expect(split.nodeOnStackMs).toBe(10);
		expect(split.topOther).toEqual([{ where: 'n8n-core/dist/execution-engine/workflow-execute.js runNode', ms: 5 }]);
	});
});
