// @ts-check
// What a user does in the n8n 2.x editor, one method per gesture: sign in, the credential dialog,
// the nodes panel, and the node's panel (NDV) with its parameters and output. Elements are found
// by the data-test-id attributes n8n's own tests use, by role, or by visible text.

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** The slowest thing waited for in the UI: an execution that includes a job and its download. */
const EXECUTION_TIMEOUT_MS = 60000;

/** @param {string} id */
const testId = (id) => `[data-test-id="${id}"]`;

export class Editor {
	/**
	 * @param {Page} page
	 * @param {string} baseUrl
	 */
	constructor(page, baseUrl) {
		this.page = page;
		this.baseUrl = baseUrl;
		this.ndv = new NodePanel(page);
	}

	/** @param {{ email: string, password: string }} owner */
	async signIn(owner) {
		const { page } = this;
		await page.goto(`${this.baseUrl}/signin`);
		await page.locator('#emailOrLdapLoginId').fill(owner.email);
		await page.locator('#password').fill(owner.password);
		await page.locator(testId('form-submit-button')).click();
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30000 });
	}

	/**
	 * Credentials → Create credential → the type → Continue: the credential dialog.
	 * @param {string} typeName the credential type's display name
	 */
	async openNewCredential(typeName) {
		const { page } = this;
		await page.goto(`${this.baseUrl}/home/credentials`);
		await page.locator(testId('add-resource-credential')).click();
		const chooser = page.locator(testId('selectCredential-modal'));
		await chooser.locator(`${testId('new-credential-type-select')} input`).fill(typeName.split(' ')[0]);
		await page.locator(testId('new-credential-type-select-option')).filter({ hasText: typeName }).click();
		await chooser.locator(testId('new-credential-type-button')).click();
		const dialog = page.locator(testId('editCredential-modal'));
		await dialog.waitFor();
		return new CredentialDialog(dialog);
	}

	async newWorkflow() {
		const { page } = this;
		await page.goto(`${this.baseUrl}/workflow/new`);
		await page.locator(testId('canvas-add-button')).waitFor({ timeout: 30000 });
	}

	/**
	 * Opens the nodes panel from the empty canvas, searches, opens the node and picks one of its
	 * actions or triggers; the node's panel opens.
	 * @param {string} search what the user types
	 * @param {string} action the action's or trigger's label, e.g. "Generate a video"
	 */
	async addFirstNode(search, action) {
		const { page } = this;
		await page.locator(testId('canvas-add-button')).click();
		const creator = page.locator(testId('node-creator'));
		await creator.locator(testId('node-creator-search-bar')).fill(search);
		await creator.locator(testId('item-iterator-item')).filter({ hasText: search }).first().click();
		const actionItem = creator.locator(testId('item-iterator-item')).filter({ hasText: action });
		if (!(await actionItem.first().isVisible())) {
			// From an empty canvas the node's triggers are listed and its actions folded away.
			await creator.locator(testId('node-creator-category-item')).filter({ hasText: 'Actions' }).click();
		}
		await actionItem.first().click();
		await this.ndv.waitOpen();
	}

	/** @param {string} file */
	async screenshot(file) {
		await this.page.mouse.move(2, 2);
		// Tooltips and the panel's animations settle.
		await this.page.waitForTimeout(400);
		await this.page.screenshot({ path: file });
	}
}

/** The credential dialog (editCredential-modal). */
class CredentialDialog {
	/** @param {Locator} root */
	constructor(root) {
		this.root = root;
	}

	/**
	 * @param {string} name the credential field's name
	 * @param {string} value
	 */
	async fill(name, value) {
		const input = this.root.locator(`${testId(`parameter-input-${name}`)} input`);
		await input.fill(value);
	}

	/**
	 * Save, which in n8n also tests the credential; the outcome as the dialog shows it (the error's
	 * details unfolded).
	 * @returns {Promise<{ ok: boolean, text: string }>}
	 */
	async saveAndTest() {
		const page = this.root.page();
		const tested = page.waitForResponse((r) => r.url().includes('/rest/credentials/test'), { timeout: 30000 });
		await this.root.locator(testId('credential-save-button')).click();
		await tested;
		const success = this.root.locator(testId('credentials-config-container-test-success'));
		const failure = this.root.getByText('Couldn’t connect with these settings');
		await success.or(failure).first().waitFor({ timeout: 20000 });
		if (await success.isVisible()) return { ok: true, text: await success.innerText() };
		const more = this.root.getByText('More details');
		if (await more.isVisible()) await more.click();
		return { ok: false, text: await this.root.locator(testId('node-credentials-config-container')).innerText() };
	}

	async close() {
		await this.root.locator('.el-dialog__close').first().click();
		await this.root.waitFor({ state: 'hidden' });
	}
}

/** The node details view: parameters in the middle, output on the right. */
class NodePanel {
	/** @param {Page} page */
	constructor(page) {
		this.page = page;
		this.root = page.locator(testId('ndv'));
		this.params = this.root.locator(testId('node-parameters'));
		this.output = this.root.locator(testId('output-panel'));
		/** @type {{ executionId: string, url: URL, browserId: string | undefined } | undefined} the last step executed */
		this.run = undefined;
	}

	async waitOpen() {
		await this.params.waitFor({ timeout: 20000 });
	}

	async close() {
		await this.root.locator(testId('ndv-close-button')).click();
		await this.root.waitFor({ state: 'hidden' });
	}

	/** @param {string} name */
	input(name) {
		return this.params.locator(testId(`parameter-input-${name}`)).last();
	}

	/** @param {string} name */
	async expectCredentialSelected(name) {
		await this.params.locator(testId('node-credentials-select')).or(this.params.getByText(name)).first().waitFor();
	}

	/**
	 * Types into a text or number field.
	 * @param {string} name
	 * @param {string} value
	 */
	async fillText(name, value) {
		const field = this.input(name).locator('input, textarea').first();
		await field.click();
		await field.fill(value);
		await field.blur();
	}

	/**
	 * @param {string} name
	 * @param {string} value
	 */
	async expectValue(name, value) {
		const field = this.input(name).locator('input, textarea').first();
		const deadline = Date.now() + 5000;
		let actual = '';
		while (Date.now() < deadline) {
			actual = await field.inputValue();
			if (actual === value) return;
			await this.page.waitForTimeout(200);
		}
		throw new Error(`${name} shows "${actual}", not "${value}"`);
	}

	/**
	 * Opens a dropdown field and picks the option with this label.
	 * @param {string} name
	 * @param {string} option
	 */
	async select(name, option) {
		await this.input(name).click();
		await this.chooseOption(option);
	}

	/**
	 * Picks an option of the open dropdown.
	 * @param {string} option
	 */
	async chooseOption(option) {
		// An option's accessible name includes its description, so match its title line.
		const item = this.page.getByRole('option').filter({ visible: true, has: this.page.getByText(option, { exact: true }) }).first();
		await item.click();
		await this.page.waitForTimeout(200);
	}

	/**
	 * The labels a dropdown field offers (it is opened and closed again).
	 * @param {string} name
	 */
	async optionsOf(name) {
		await this.input(name).click();
		const options = this.page.getByRole('option').filter({ visible: true });
		await options.first().waitFor();
		const labels = (await options.allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await this.page.keyboard.press('Escape');
		return labels;
	}

	/**
	 * A collection's "Add …" dropdown (Video Settings › Add Setting): adds one of its fields.
	 * @param {string} collection
	 * @param {string} option
	 */
	async addCollectionOption(collection, option) {
		// The node has one collection before Options, Video Settings, so its Add button comes first.
		void collection;
		await this.params.locator(testId('collection-parameter-add')).filter({ visible: true }).first().click();
		await this.chooseOption(option);
	}

	/**
	 * A fixed collection's "Add …" button (Reference Images › Add Image).
	 * @param {string} _name
	 * @param {string} label
	 */
	async addFixedCollectionEntry(_name, label) {
		await this.params.getByRole('button', { name: label }).click();
	}

	/** @param {string} name */
	async scrollTo(name) {
		await this.input(name).scrollIntoViewIfNeeded();
		await this.input(name).evaluate((el) => el.scrollIntoView({ block: 'start' }));
	}

	/**
	 * Switches a field to Expression and types the expression.
	 * @param {string} name
	 * @param {string} expression without the leading "="
	 * @param {string} preview what the expression gives, as the field's preview shows it
	 */
	async setExpression(name, expression, preview) {
		const container = this.params.locator(testId(`${name}-parameter-input-options-container`)).last();
		await this.input(name).hover();
		await container.locator(testId('radio-button-expression')).click();
		const editor = this.params.locator(testId('inline-expression-editor-input')).last();
		await editor.click();
		await this.page.keyboard.press('ControlOrMeta+A');
		await this.page.keyboard.press('Delete');
		await this.page.keyboard.insertText(expression);
		// The field takes the expression once its result shows the new value.
		const result = this.page.locator('.el-popper, [class*="dropdown"], [class*="Dropdown"]').filter({ visible: true, hasText: 'Result' }).last();
		await result.waitFor({ timeout: 10000 });
		const deadline = Date.now() + 10000;
		while (!(await result.innerText()).split('\n').some((line) => line.trim() === preview)) {
			if (Date.now() > deadline) throw new Error(`the expression's result shows "${await result.innerText()}", not ${preview}`);
			await this.page.waitForTimeout(200);
		}
		await this.root.getByText('Parameters', { exact: true }).first().click();
	}

	/** Execute step; the run is then awaited by waitForOutput or outputError. */
	async execute() {
		// n8n answers the run request with the execution's id; until the run ends the panel may still
		// show the previous run's output, so the panel is read only after n8n says it has ended.
		const started = this.page.waitForResponse((r) => r.request().method() === 'POST' && /\/rest\/workflows\/[^/]+\/run\b/.test(r.url()), { timeout: 30000 });
		await this.root.locator(testId('node-execute-button')).click();
		const response = await started;
		const body = await response.json();
		const executionId = body?.data?.executionId;
		if (typeof executionId !== 'string' && typeof executionId !== 'number') throw new Error(`n8n did not start a run: ${JSON.stringify(body)}`);
		this.run = { executionId: String(executionId), url: new URL(response.url()), browserId: response.request().headers()['browser-id'] };
	}

	async waitForOutput() {
		const state = await this.#settled();
		if (state === 'error') throw new Error(`the step failed: ${await this.output.innerText()}`);
	}

	/** The error the output panel shows for a failed step. */
	async outputError() {
		const state = await this.#settled();
		if (state !== 'error') throw new Error(`the step succeeded: ${await this.output.innerText()}`);
		return this.output.innerText();
	}

	/**
	 * Waits until the last run has ended in n8n and the output panel shows its outcome: its items, or
	 * its error.
	 * @returns {Promise<'items' | 'error'>}
	 */
	async #settled() {
		const deadline = Date.now() + EXECUTION_TIMEOUT_MS;
		const outcome = await this.#runOutcome(deadline);
		const error = this.output.locator(testId('node-error-message'));
		while (Date.now() < deadline) {
			const text = await this.output.innerText().catch(() => '');
			if (!/Executing node/.test(text)) {
				if (outcome === 'error' && (await error.isVisible())) return 'error';
				if (outcome === 'items' && /\b\d+ items?\b/.test(text) && !(await error.isVisible())) return 'items';
			}
			await this.page.waitForTimeout(250);
		}
		throw new Error(`the run ended (${outcome}) but the panel did not show it in ${EXECUTION_TIMEOUT_MS / 1000} s: ${await this.output.innerText()}`);
	}

	/**
	 * How n8n says the last run ended, asked with the browser's own session.
	 * @param {number} deadline
	 * @returns {Promise<'items' | 'error'>}
	 */
	async #runOutcome(deadline) {
		if (!this.run) throw new Error('no step was executed');
		const { executionId, url, browserId } = this.run;
		const headers = browserId ? { 'browser-id': browserId } : undefined;
		let status = 'unknown';
		while (Date.now() < deadline) {
			const response = await this.page.request.get(`${url.origin}/rest/executions/${executionId}`, { headers });
			if (response.ok()) {
				status = (await response.json())?.data?.status ?? 'unknown';
				if (status === 'success') return 'items';
				if (status === 'error' || status === 'crashed' || status === 'canceled') return 'error';
			}
			await this.page.waitForTimeout(250);
		}
		throw new Error(`run ${executionId} did not end in ${EXECUTION_TIMEOUT_MS / 1000} s (status ${status}): ${await this.output.innerText()}`);
	}

	/** @param {'Schema' | 'Table' | 'JSON' | 'Binary'} mode */
	async outputMode(mode) {
		await this.output.getByRole('radio', { name: mode }).click();
	}

	/** What the Binary view shows of the first item, and its View button. */
	async binaryCard() {
		const view = this.output.getByRole('button', { name: 'View', exact: true }).or(this.output.getByText('View', { exact: true })).first();
		await view.waitFor();
		return { text: await this.output.innerText(), view };
	}

	/**
	 * Top-level fields of the first output item as the JSON view shows them. The view renders only
	 * the lines in sight, so it is scrolled through and each field read where it appears.
	 * @param {string[]} keys
	 * @returns {Promise<Record<string, any>>}
	 */
	async outputFields(keys) {
		await this.outputMode('JSON');
		const pane = this.output.locator(testId('ndv-data-container'));
		// The view is drawn a moment after the switch; its first lines hold the first key.
		await pane.getByText(`"${keys[0]}"`).first().waitFor({ timeout: 10000 }).catch(() => {});
		/** @type {Record<string, any>} */
		const found = {};
		for (let pass = 0; pass < 60 && keys.some((k) => !(k in found)); pass++) {
			const text = (await pane.innerText()).replace(/\u00a0/g, ' ');
			for (const key of keys) {
				if (key in found) continue;
				// The view puts a key and its value on lines of their own; the item's own fields are
				// the first of that name (a nested job repeats some of them further down).
				const m = new RegExp(`"${key}":\\s*("(?:[^"\\\\]|\\\\.)*"|-?[\\d.]+|true|false|null|\\{|\\[)`).exec(text);
				if (m) found[key] = /^[{[]$/.test(m[1]) ? m[1] : JSON.parse(m[1]);
			}
			const moved = await pane.evaluate((el) => {
				const scroller = [el, ...el.querySelectorAll('*')].find((n) => n.scrollHeight > n.clientHeight + 4 && /(auto|scroll)/.test(getComputedStyle(n).overflowY));
				if (!scroller) return false;
				const before = scroller.scrollTop;
				scroller.scrollTop += scroller.clientHeight * 0.5;
				return scroller.scrollTop !== before;
			});
			if (!moved) break;
			// The view draws the lines now in sight after the scroll event.
			await this.page.waitForTimeout(400);
		}
		await pane.evaluate((el) => {
			for (const n of [el, ...el.querySelectorAll('*')]) if (n.scrollTop) n.scrollTop = 0;
		});
		return found;
	}

	/** @param {string} text */
	async expectText(text) {
		await this.root.getByText(text).first().waitFor();
	}

	/** Opens Webhook URLs, chooses Production URL and returns the URL shown. */
	async productionWebhookUrl() {
		await this.root.getByText('Webhook URLs', { exact: true }).click();
		await this.root.getByText('Production URL', { exact: true }).click();
		const url = this.root.locator('.webhook-url, [class*="webhookUrl"], [data-test-id="webhook-url"]').filter({ visible: true }).first();
		await url.waitFor();
		return (await url.innerText()).trim();
	}
}
