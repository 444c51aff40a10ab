/** Waits that can all be cut short at once, so that no timer outlives the sandbox. */
export class Sleeps {
	private readonly pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const entry = {
				timer: setTimeout(() => {
					this.pending.delete(entry);
					resolve();
				}, ms),
				resolve,
			};
			this.pending.add(entry);
		});
	}

	/** Ends every pending wait now (the waiters resume at once). */
	wakeAll(): void {
		for (const entry of this.pending) {
			clearTimeout(entry.timer);
			entry.resolve();
		}
		this.pending.clear();
	}
}
