import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { sampleVideo } from './asset-files';

const BLOCK_SIZE = 64 * 1024;
const CHUNK_SIZE = 64 * 1024;
const MAX_BOX32 = 0xffffffff;

/**
 * A result file is the sample MP4 followed by one top-level `free` box that pads it to the
 * requested size: players skip `free` boxes, so any size still probes and plays as the sample.
 * Sizes below the sample give the sample; 1-7 bytes over it round up to sample + 8 (the
 * smallest box).
 */
export function videoFileSize(requestedBytes: number): number {
	const sample = sampleVideo().length;
	if (requestedBytes <= sample) return sample;
	return Math.max(requestedBytes, sample + 8);
}

function freeBoxHeader(boxSize: number): Buffer {
	if (boxSize <= MAX_BOX32) {
		const header = Buffer.alloc(8);
		header.writeUInt32BE(boxSize, 0);
		header.write('free', 4, 'latin1');
		return header;
	}
	// size 1 means a 64-bit largesize follows the type
	const header = Buffer.alloc(16);
	header.writeUInt32BE(1, 0);
	header.write('free', 4, 'latin1');
	header.writeBigUInt64BE(BigInt(boxSize), 8);
	return header;
}

const blockCache = new Map<string, Buffer>();

/** Padding differs per job, so a client that mixes up two downloads is caught. */
function paddingBlock(jobId: string): Buffer {
	let block = blockCache.get(jobId);
	if (block) return block;
	block = Buffer.alloc(BLOCK_SIZE);
	for (let i = 0; i * 32 < BLOCK_SIZE; i++) createHash('sha256').update(`${jobId}:${i}`).digest().copy(block, i * 32);
	if (blockCache.size >= 64) blockCache.delete(blockCache.keys().next().value as string);
	blockCache.set(jobId, block);
	return block;
}

interface Layout {
	total: number;
	head: Buffer;
	block: Buffer;
}

function layoutOf(jobId: string, requestedBytes: number): Layout {
	const sample = sampleVideo();
	const total = videoFileSize(requestedBytes);
	if (total === sample.length) return { total, head: sample, block: paddingBlock(jobId) };
	const tag = Buffer.from(`apiframe-sandbox result ${jobId}\n`, 'latin1');
	const head = Buffer.concat([sample, freeBoxHeader(total - sample.length), tag]).subarray(0, total);
	return { total, head, block: paddingBlock(jobId) };
}

function fill(layout: Layout, position: number, length: number): Buffer {
	const out = Buffer.allocUnsafe(length);
	let written = 0;
	let pos = position;
	if (pos < layout.head.length) {
		written = layout.head.copy(out, 0, pos, Math.min(layout.head.length, pos + length));
		pos += written;
	}
	while (written < length) {
		const offset = (pos - layout.head.length) % BLOCK_SIZE;
		const n = layout.block.copy(out, written, offset, Math.min(BLOCK_SIZE, offset + (length - written)));
		written += n;
		pos += n;
	}
	return out;
}

/**
 * The bytes of a job's result file, generated on the fly (never held whole in memory).
 * `start`/`end` are inclusive byte offsets, as in an HTTP Range.
 */
export function createVideoStream(jobId: string, requestedBytes: number, start = 0, end?: number): Readable {
	const layout = layoutOf(jobId, requestedBytes);
	const last = Math.min(end ?? layout.total - 1, layout.total - 1);
	let pos = start;
	return new Readable({
		read() {
			if (pos > last) {
				this.push(null);
				return;
			}
			const n = Math.min(CHUNK_SIZE, last - pos + 1);
			const chunk = fill(layout, pos, n);
			pos += n;
			this.push(chunk);
		},
	});
}

/** SHA-256 (hex) of the file the sandbox serves for this job and size. */
export async function videoSha256(jobId: string, requestedBytes: number): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createVideoStream(jobId, requestedBytes)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}
