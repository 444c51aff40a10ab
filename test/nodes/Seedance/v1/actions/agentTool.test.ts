import { SEEDANCE_TYPE, generateParameters, prompts, requestsTo, runSeedance, useSandbox } from '../../fixtures';
import type { Sandbox } from '../../../../../sandbox';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

/** The type n8n gives the node when an AI Agent uses it as a tool. */
const asTool = { typeName: `${SEEDANCE_TYPE}Tool` };

describe('Seedance called by an AI Agent', () => {
	it('answers with the job ID and the video URL as JSON and downloads nothing', async () => {
		const result = await runSeedance(sandbox, generateParameters({ waitForCompletion: true, downloadVideo: true }), {
			...asTool,
			inputItems: prompts('A kite over a beach'),
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toMatchObject({ status: 'COMPLETED', jobId: expect.any(String), videoUrl: expect.stringMatching(/\.mp4$/) });
		expect(item.binary).toBeUndefined();
		expect(requestsTo(sandbox, 'GET', /^\/files\//)).toHaveLength(0);
	});

	it('refuses to sleep until Apiframe calls back, before anything is billed', async () => {
		const result = await runSeedance(sandbox, generateParameters({ waitForCompletion: true, waitMethod: 'callback' }), {
			...asTool,
			inputItems: prompts('A kite over a beach'),
		});
		expect(result.error?.message).toBe(
			'Wait Method › Sleep Until Apiframe Calls Back cannot be used when an AI Agent calls this tool',
		);
		expect(requestsTo(sandbox, 'POST', /^\/v2\/videos\/generate$/)).toHaveLength(0);
	});

	it('names the field and the allowed values when the model picks a resolution the model lacks', async () => {
		const result = await runSeedance(
			sandbox,
			generateParameters({ model: 'seedance-2-fast', videoSettings: { resolution: '1080p' } }),
			{ ...asTool, inputItems: prompts('A kite over a beach') },
		);
		expect(result.error?.message).toBe('Video Settings › Resolution is not available for Seedance 2.0 Fast: choose 480p, 720p');
		expect(requestsTo(sandbox, 'POST', /^\/v2\/videos\/generate$/)).toHaveLength(0);
	});

	it('stops waiting at its timeout and hands back the running job to fetch later, not an error', async () => {
		const result = await runSeedance(
			sandbox,
			generateParameters({ waitForCompletion: true }, { pollInterval: 1, timeout: 10 }),
			{ ...asTool, inputItems: prompts('[sandbox:slow=60000] A slow kite') },
		);
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toMatchObject({ jobId: expect.any(String), status: expect.stringMatching(/QUEUED|PROCESSING/) });
		expect(item.json.note).toContain(`Job ${item.json.jobId as string} is not finished yet`);
		expect(item.json.note).toContain('Job → Get');
		expect(requestsTo(sandbox, 'POST', /^\/v2\/videos\/generate$/)).toHaveLength(1);
	}, 30_000);
});
