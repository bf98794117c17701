// biome-ignore-all lint/suspicious/noExplicitAny: recorded Slack payloads are arbitrary JSON

import { z } from 'zod';

/*
 * Zod schemas of Slack's Block Kit limits (see docs SLACK-AND-APOLLO.md, "Slack platform"), used to
 * check every surface the app sends in tests. Blocks, text objects and the elements we build are
 * strict (Slack rejects unknown properties with `invalid_blocks`); rarer elements are checked loosely.
 */

/** Total characters of block text we allow in one message; Slack has failed with `msg_blocks_too_long` near 13k. */
export const MAX_MESSAGE_BLOCK_TEXT = 12_000;

const id = z.string().min(1).max(255);

/** Slack renders `<!date^…>` tokens only in mrkdwn; in plain_text a reader would see the raw token. */
const noDateToken = (text: string) => !text.includes('<!date^');
const NO_DATE_TOKEN = { message: 'a <!date^…> token in plain_text shows raw: use mrkdwn or plain text' };

const textObject = (max: number) =>
  z
    .strictObject({
      type: z.enum(['plain_text', 'mrkdwn']),
      text: z.string().min(1).max(max),
      emoji: z.boolean().optional(),
      verbatim: z.boolean().optional(),
    })
    .refine((t) => t.type === 'mrkdwn' || noDateToken(t.text), NO_DATE_TOKEN);

const plainText = (max: number) =>
  z.strictObject({
    type: z.literal('plain_text'),
    text: z.string().min(1).max(max).refine(noDateToken, NO_DATE_TOKEN),
    emoji: z.boolean().optional(),
  });

const confirmSchema = z.strictObject({
  title: plainText(100),
  text: textObject(300),
  confirm: plainText(30),
  deny: plainText(30),
  style: z.enum(['primary', 'danger']).optional(),
});

const optionSchema = z.strictObject({
  text: textObject(75),
  value: z.string().min(1).max(150),
  description: plainText(75).optional(),
  url: z.string().max(3000).optional(),
});

const buttonSchema = z.strictObject({
  type: z.literal('button'),
  text: plainText(75),
  action_id: id.optional(),
  url: z.string().min(1).max(3000).optional(),
  value: z.string().max(2000).optional(),
  style: z.enum(['primary', 'danger']).optional(),
  confirm: confirmSchema.optional(),
  accessibility_label: z.string().min(1).max(75).optional(),
});

const plainTextInputSchema = z.strictObject({
  type: z.literal('plain_text_input'),
  action_id: id.optional(),
  initial_value: z.string().optional(),
  multiline: z.boolean().optional(),
  min_length: z.number().int().min(0).max(3000).optional(),
  max_length: z.number().int().min(1).max(3000).optional(),
  dispatch_action_config: z.looseObject({}).optional(),
  focus_on_load: z.boolean().optional(),
  placeholder: plainText(150).optional(),
});

const staticSelectSchema = z
  .strictObject({
    type: z.literal('static_select'),
    action_id: id.optional(),
    options: z.array(optionSchema).min(1).max(100).optional(),
    option_groups: z
      .array(z.strictObject({ label: plainText(75), options: z.array(optionSchema).min(1).max(100) }))
      .min(1)
      .max(100)
      .optional(),
    initial_option: optionSchema.optional(),
    confirm: confirmSchema.optional(),
    focus_on_load: z.boolean().optional(),
    placeholder: plainText(150).optional(),
  })
  .refine((s) => (s.options === undefined) !== (s.option_groups === undefined), {
    message: 'static_select needs exactly one of options or option_groups',
  });

const overflowSchema = z.strictObject({
  type: z.literal('overflow'),
  action_id: id.optional(),
  options: z.array(optionSchema).min(1).max(5),
  confirm: confirmSchema.optional(),
});

const imageElementSchema = z.looseObject({
  type: z.literal('image'),
  alt_text: z.string().max(2000),
  image_url: z.string().min(1).max(3000).optional(),
  slack_file: z.looseObject({}).optional(),
});

/** Other elements, checked loosely: a type and, when present, a short enough action_id. */
const looseElement = <T extends string>(type: T) =>
  z.looseObject({ type: z.literal(type), action_id: id.optional() });

const inputElementSchema = z.discriminatedUnion('type', [
  plainTextInputSchema,
  staticSelectSchema,
  looseElement('file_input'),
  looseElement('datepicker'),
  looseElement('datetimepicker'),
  looseElement('timepicker'),
  looseElement('number_input'),
  looseElement('email_text_input'),
  looseElement('url_text_input'),
  looseElement('rich_text_input'),
  looseElement('checkboxes'),
  looseElement('radio_buttons'),
  looseElement('multi_static_select'),
  looseElement('external_select'),
  looseElement('multi_external_select'),
  looseElement('users_select'),
  looseElement('multi_users_select'),
  looseElement('conversations_select'),
  looseElement('multi_conversations_select'),
  looseElement('channels_select'),
  looseElement('multi_channels_select'),
]);

const interactiveElementSchema = z.discriminatedUnion('type', [
  buttonSchema,
  staticSelectSchema,
  overflowSchema,
  looseElement('datepicker'),
  looseElement('datetimepicker'),
  looseElement('timepicker'),
  looseElement('checkboxes'),
  looseElement('radio_buttons'),
  looseElement('multi_static_select'),
  looseElement('external_select'),
  looseElement('multi_external_select'),
  looseElement('users_select'),
  looseElement('multi_users_select'),
  looseElement('conversations_select'),
  looseElement('multi_conversations_select'),
  looseElement('channels_select'),
  looseElement('multi_channels_select'),
  looseElement('rich_text_input'),
  looseElement('workflow_button'),
]);

const accessorySchema = z.discriminatedUnion('type', [interactiveElementSchema, imageElementSchema]);

const headerBlock = z.strictObject({
  type: z.literal('header'),
  text: plainText(150),
  block_id: id.optional(),
});

const sectionBlock = z
  .strictObject({
    type: z.literal('section'),
    text: textObject(3000).optional(),
    fields: z.array(textObject(2000)).min(1).max(10).optional(),
    accessory: accessorySchema.optional(),
    expand: z.boolean().optional(),
    block_id: id.optional(),
  })
  .refine((s) => s.text !== undefined || s.fields !== undefined, {
    message: 'section needs text or fields',
  });

const contextBlock = z.strictObject({
  type: z.literal('context'),
  elements: z
    .array(z.discriminatedUnion('type', [textObject(3000), imageElementSchema]))
    .min(1)
    .max(10),
  block_id: id.optional(),
});

const dividerBlock = z.strictObject({ type: z.literal('divider'), block_id: id.optional() });

const actionsBlock = z.strictObject({
  type: z.literal('actions'),
  elements: z.array(interactiveElementSchema).min(1).max(25),
  block_id: id.optional(),
});

const inputBlock = z.strictObject({
  type: z.literal('input'),
  label: plainText(2000),
  element: inputElementSchema,
  hint: plainText(2000).optional(),
  optional: z.boolean().optional(),
  dispatch_action: z.boolean().optional(),
  block_id: id.optional(),
});

const richTextBlock = z.looseObject({
  type: z.literal('rich_text'),
  elements: z.array(z.looseObject({ type: z.string() })),
  block_id: id.optional(),
});

const imageBlock = z.looseObject({
  type: z.literal('image'),
  alt_text: z.string().max(2000),
  image_url: z.string().min(1).max(3000).optional(),
  slack_file: z.looseObject({}).optional(),
  title: plainText(2000).optional(),
  block_id: id.optional(),
});

const markdownBlock = z.strictObject({
  type: z.literal('markdown'),
  text: z.string().min(1).max(12_000),
  block_id: id.optional(),
});

const fileBlock = z.looseObject({
  type: z.literal('file'),
  external_id: z.string(),
  source: z.literal('remote'),
  block_id: id.optional(),
});

/*
 * Native charts and tables (docs.slack.dev "Data visualization block" / "Data table block"):
 * title 50, labels and series names 20, 1-6 series of 1-20 points whose labels are exactly the
 * categories; a table of 2-101 rows (header first) of 1-20 equal-length rows, 10,000 characters
 * in all, no rich text in the header. At most two charts per message (checked on the message).
 */
const label20 = z.string().min(1).max(20);
const seriesSchema = z.strictObject({
  name: label20,
  data: z
    .array(z.strictObject({ label: label20, value: z.number().finite() }))
    .min(1)
    .max(20),
});
const seriesChartSchema = z
  .strictObject({
    type: z.enum(['bar', 'line', 'area']),
    series: z.array(seriesSchema).min(1).max(6),
    axis_config: z.strictObject({
      categories: z.array(label20).min(1).max(20),
      x_label: z.string().min(1).max(50).optional(),
      y_label: z.string().min(1).max(50).optional(),
    }),
  })
  .superRefine((chart, ctx) => {
    const names = chart.series.map((s) => s.name);
    if (new Set(names).size !== names.length)
      ctx.addIssue({ code: 'custom', message: 'series names must be unique' });
    const categories = chart.axis_config.categories;
    if (new Set(categories).size !== categories.length)
      ctx.addIssue({ code: 'custom', message: 'categories must be unique' });
    for (const s of chart.series) {
      const labels = s.data.map((d) => d.label);
      if (labels.length !== categories.length || labels.some((l, i) => l !== categories[i]))
        ctx.addIssue({
          code: 'custom',
          message: `series ${s.name} must have one point per category, in order`,
        });
    }
  });
const pieChartSchema = z.strictObject({
  type: z.literal('pie'),
  segments: z
    .array(z.strictObject({ label: label20, value: z.number().positive() }))
    .min(1)
    .max(6),
});
const dataVisualizationBlock = z.strictObject({
  type: z.literal('data_visualization'),
  title: z.string().min(1).max(50),
  chart: z.union([seriesChartSchema, pieChartSchema]),
  block_id: id.optional(),
});
const tableCell = z.union([
  z.strictObject({ type: z.literal('raw_text'), text: z.string().min(1) }),
  z.strictObject({ type: z.literal('raw_number'), value: z.number().finite(), text: z.string().min(1) }),
]);
const dataTableBlock = z
  .strictObject({
    type: z.literal('data_table'),
    caption: z.string().min(1),
    rows: z.array(z.array(tableCell).min(1).max(20)).min(2).max(101),
    page_size: z.number().int().min(1).max(100).optional(),
    row_header_column_index: z.number().int().min(0).optional(),
    block_id: id.optional(),
  })
  .superRefine((table, ctx) => {
    const width = table.rows[0]?.length ?? 0;
    if (table.rows.some((r) => r.length !== width))
      ctx.addIssue({ code: 'custom', message: 'every table row must have as many cells as the header' });
    const chars = table.rows.flat().reduce((n, c) => n + c.text.length, 0);
    if (chars > 10_000)
      ctx.addIssue({ code: 'custom', message: `table holds ${chars} characters (max 10,000)` });
  });

/** Slack allows at most two chart blocks in one message. */
export const MAX_CHARTS_PER_MESSAGE = 2;

export const blockSchema = z.discriminatedUnion('type', [
  dataVisualizationBlock,
  dataTableBlock,
  headerBlock,
  sectionBlock,
  contextBlock,
  dividerBlock,
  actionsBlock,
  inputBlock,
  richTextBlock,
  imageBlock,
  markdownBlock,
  fileBlock,
]);

/** Sum of the lengths of every `text` string inside the blocks (text objects, rich text, markdown). */
export function countBlockText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countBlockText(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let total = 0;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'text' && typeof inner === 'string') total += inner.length;
    else total += countBlockText(inner);
  }
  return total;
}

/** `chat.postMessage` / `chat.update` / `chat.postEphemeral` arguments and response_url bodies. */
export const messageSchema = z
  .looseObject({
    text: z.string().min(1, 'a message needs a non-empty text fallback').max(40_000),
    blocks: z.array(blockSchema).min(1).max(50).optional(),
  })
  .superRefine((message, ctx) => {
    const charts = (message.blocks ?? []).filter((b) => b.type === 'data_visualization').length;
    if (charts > MAX_CHARTS_PER_MESSAGE) {
      ctx.addIssue({
        code: 'custom',
        path: ['blocks'],
        message: `${charts} chart blocks; Slack allows at most ${MAX_CHARTS_PER_MESSAGE} per message`,
      });
    }
    const total = countBlockText(message.blocks);
    if (total > MAX_MESSAGE_BLOCK_TEXT) {
      ctx.addIssue({
        code: 'custom',
        path: ['blocks'],
        message: `blocks hold ${total} characters of text; keep at most ${MAX_MESSAGE_BLOCK_TEXT} (msg_blocks_too_long)`,
      });
    }
  });

export const modalViewSchema = z
  .strictObject({
    type: z.literal('modal'),
    title: plainText(24),
    blocks: z.array(blockSchema).max(100),
    submit: plainText(24).optional(),
    close: plainText(24).optional(),
    private_metadata: z.string().max(3000).optional(),
    callback_id: id.optional(),
    external_id: id.optional(),
    clear_on_close: z.boolean().optional(),
    notify_on_close: z.boolean().optional(),
    submit_disabled: z.boolean().optional(),
  })
  .refine((view) => view.submit !== undefined || !view.blocks.some((b) => b.type === 'input'), {
    message: 'a modal with input blocks needs a submit button',
    path: ['submit'],
  });

export const homeViewSchema = z.strictObject({
  type: z.literal('home'),
  blocks: z.array(blockSchema).max(100),
  private_metadata: z.string().max(3000).optional(),
  callback_id: id.optional(),
  external_id: id.optional(),
});

const responseBodySchema = z.looseObject({
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  replace_original: z.boolean().optional(),
  delete_original: z.boolean().optional(),
});

export interface SurfaceCall {
  method: string;
  args: Record<string, any>;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function check(schema: z.ZodType, value: unknown, what: string, prefix: readonly PropertyKey[] = []): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const lines = result.error.issues.map(
    (issue) => `  ${formatPath([...prefix, ...issue.path])}: ${issue.message}`,
  );
  throw new Error(`${what} breaks Slack's limits:\n${lines.join('\n')}`);
}

/** Checks a response_url body; `{ delete_original: true }` needs no text. */
export function assertResponseBody(body: unknown): void {
  check(responseBodySchema, body, 'response_url body');
  const record = body as Record<string, unknown>;
  if (record.delete_original === true && record.text === undefined && record.blocks === undefined) return;
  check(messageSchema, body, 'response_url body');
}

/**
 * Checks one recorded surface against Slack's limits, picking the schema by method: chat.* messages
 * and response_url bodies (`method` 'response_url') → message; views.open/push → modal; views.update →
 * modal or home by `view.type`; views.publish → home. Other methods pass. Throws a readable error.
 */
export function assertSlackSurface(call: SurfaceCall): void {
  const { method, args } = call;
  switch (method) {
    case 'chat.postMessage':
    case 'chat.update':
    case 'chat.postEphemeral':
    case 'chat.scheduleMessage':
      check(messageSchema, args, method);
      return;
    case 'response_url':
    case 'response':
      assertResponseBody(args);
      return;
    case 'views.open':
    case 'views.push':
      check(modalViewSchema, args.view, method, ['view']);
      return;
    case 'views.update':
      check(args.view?.type === 'home' ? homeViewSchema : modalViewSchema, args.view, method, ['view']);
      return;
    case 'views.publish':
      check(homeViewSchema, args.view, method, ['view']);
      return;
    default:
      return;
  }
}

/** Checks every call (e.g. `fake.calls`); the first violation throws. */
export function assertAllSurfaces(calls: readonly SurfaceCall[]): void {
  calls.forEach((call, index) => {
    try {
      assertSlackSurface(call);
    } catch (error) {
      throw new Error(`call #${index} (${call.method}): ${(error as Error).message}`);
    }
  });
}
