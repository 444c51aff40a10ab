import type { IExecuteFunctions } from 'n8n-workflow';

/** Whether a parameter's raw value holds an expression anywhere: n8n marks one with a leading `=`. */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * One run's reading of the node's parameters. Each read through n8n costs a pass of its expression
 * engine, so a parameter without an expression is read once for the run (it is the same for every
 * item), and one with an expression once per item, however many parts of the node ask for it.
 * Values are shared between the readers: they are read, never changed.
 */
export class NodeParameters {
	private readonly raw: Record<string, unknown>;

	private readonly fixed = new Map<string, unknown>();

	/** The first item's values stay: run-wide settings are read from it after other items were. */
	private readonly ofFirstItem = new Map<string, unknown>();

	private itemIndex = -1;

	private readonly ofItem = new Map<string, unknown>();

	constructor(private readonly context: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>) {
		this.raw = context.getNode().parameters as Record<string, unknown>;
	}

	/** The parameter `name` for the item, or `fallback` when the node has none. */
	get<T>(name: string, itemIndex: number, fallback: T): T {
		const varies = holdsExpression(this.raw[name]);
		const known = varies ? this.itemValues(itemIndex) : this.fixed;
		if (!known.has(name)) known.set(name, this.context.getNodeParameter(name, itemIndex, fallback as never));
		return known.get(name) as T;
	}

	private itemValues(itemIndex: number): Map<string, unknown> {
		if (itemIndex === 0) return this.ofFirstItem;
		if (itemIndex !== this.itemIndex) {
			this.itemIndex = itemIndex;
			this.ofItem.clear();
		}
		return this.ofItem;
	}
}
