/**
 * Runs `task` over `inputs` with at most `limit` running at once. Once `shouldStop` answers true,
 * tasks not yet started are skipped (their slot stays undefined); running ones finish.
 */
export async function mapWithConcurrency<T, R>(
	inputs: T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
	shouldStop: () => boolean = () => false,
): Promise<Array<R | undefined>> {
	const results: Array<R | undefined> = new Array(inputs.length).fill(undefined);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length && !shouldStop()) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, worker);
	await Promise.all(workers);
	return results;
}
