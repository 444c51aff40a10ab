/** The job events Apiframe can send to a webhook URL, as the request's `webhookEvents` names them. */
export const JOB_EVENTS = ['progress', 'completed', 'failed'] as const;

export type JobEvent = (typeof JOB_EVENTS)[number];

/**
 * The events that end a job: what the Sleep Until Apiframe Calls Back wait subscribes to, and the
 * default of Notify Events and of the trigger's Events.
 */
export const JOB_END_EVENTS: readonly JobEvent[] = ['completed', 'failed'];

/** The events as the node panels offer them, alphabetically. */
export const JOB_EVENT_OPTIONS: Array<{ name: string; value: JobEvent; description: string }> = [
	{ name: 'Completed', value: 'completed', description: 'The video is ready' },
	{ name: 'Failed', value: 'failed', description: 'The job failed (Apiframe refunds it)' },
	{ name: 'Progress', value: 'progress', description: 'The job advanced; can be many per job' },
];
