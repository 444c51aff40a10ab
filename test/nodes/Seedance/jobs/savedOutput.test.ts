import { readSavedGenerateOutput } from '../../../../nodes/Seedance/jobs/output';

describe('what the callback wake-up reads back from a saved Generate item', () => {
	it('takes the prompt as sent and the estimate as Generate wrote them', () => {
		expect(
			readSavedGenerateOutput({ jobId: 'x', promptSent: 'A fox', estimatedCredits: { low: 50, high: 50, exact: true } }),
		).toEqual({ promptSent: 'A fox', estimate: { estimatedCredits: { low: 50, high: 50, exact: true } } });
		expect(readSavedGenerateOutput({ promptSent: 'A fox', estimatedCredits: null, estimateNote: 'no catalogue' })).toEqual({
			promptSent: 'A fox',
			estimate: { estimatedCredits: null, estimateNote: 'no catalogue' },
		});
	});

	it('leaves out a part that is missing or not as Generate writes it', () => {
		expect(readSavedGenerateOutput({ promptSent: null })).toEqual({ estimate: {} });
		expect(readSavedGenerateOutput({ promptSent: 42, estimatedCredits: 'lots' })).toEqual({ estimate: {} });
		expect(readSavedGenerateOutput({ promptSent: 'A fox', estimatedCredits: { low: 'one' } })).toEqual({ promptSent: 'A fox', estimate: {} });
		expect(readSavedGenerateOutput({ estimatedCredits: null })).toEqual({ estimate: {} });
	});
});
