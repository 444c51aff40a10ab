// @ts-check
// Preloaded into the sandbox process: a test runner killed with SIGKILL cannot stop its children,
// so the sandbox stops itself (SIGTERM, which also removes its temp folder) once its parent is gone.
const parent = process.ppid;
setInterval(() => {
	if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();
