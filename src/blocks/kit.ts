/**
 * Small Block Kit builders that keep every payload inside Slack's limits: text is cut with an
 * ellipsis instead of being rejected. Pure: no Slack client here.
 */
import type {
  ActionsBlock,
  Block,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
} from '@slack/types';

export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  modalTitle: 24,
  privateMetadata: 3000,
  messageText: 40_000,
  /** Total characters of block text we allow ourselves; Slack has refused near 13,000. */
  messageBudget: 11_000,
} as const;

/** Escapes user text for mrkdwn, so `<!channel>` or `<@U1>` in a company name never pings anyone. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Cuts text to `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}

export function header(text: string): HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true },
  };
}

export function section(
  markdown: string,
  options: { blockId?: string; accessory?: Button } = {},
): SectionBlock {
  const block: SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(markdown, LIMITS.sectionText) },
  };
  if (options.blockId) block.block_id = options.blockId;
  if (options.accessory) block.accessory = options.accessory;
  return block;
}

export function fields(items: readonly string[]): SectionBlock {
  return {
    type: 'section',
    fields: items
      .slice(0, LIMITS.fields)
      .map((t) => ({ type: 'mrkdwn', text: truncate(t, LIMITS.fieldText) })),
  };
}

export function context(items: readonly string[]): ContextBlock {
  return {
    type: 'context',
    elements: items
      .slice(0, LIMITS.contextElements)
      .map((t) => ({ type: 'mrkdwn', text: truncate(t, LIMITS.sectionText) })),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function button(
  text: string,
  actionId: string,
  options: { value?: string; style?: 'primary' | 'danger' } = {},
): Button {
  const b: Button = {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    action_id: truncate(actionId, LIMITS.id),
  };
  if (options.value !== undefined) b.value = truncate(options.value, LIMITS.buttonValue);
  if (options.style) b.style = options.style;
  return b;
}

export function actions(buttons: readonly Button[], blockId?: string): ActionsBlock {
  const block: ActionsBlock = { type: 'actions', elements: buttons.slice(0, 25) };
  if (blockId) block.block_id = truncate(blockId, LIMITS.id);
  return block;
}

export interface ChartSeries {
  name: string;
  data: Array<{ label: string; value: number }>;
}

/** Slack's native chart block (not yet in @slack/types); built by charts.ts. */
export interface DataVisualizationBlock extends Block {
  type: 'data_visualization';
  title: string;
  chart:
    | { type: 'pie'; segments: Array<{ label: string; value: number }> }
    | {
        type: 'bar' | 'line' | 'area';
        series: ChartSeries[];
        axis_config: { categories: string[]; x_label?: string; y_label?: string };
      };
}

/** Every block we send: Block Kit's known blocks and the chart block. */
export type AnyMessageBlock = KnownBlock | DataVisualizationBlock;

export interface SlackMessage {
  text: string;
  blocks: AnyMessageBlock[];
}

/**
 * The same message without charts and tables: what to send when Slack refuses them
 * (`invalid_blocks`). Every chart and table has a text fallback beside it, so no figure is lost.
 */
export function withoutRichBlocks(msg: SlackMessage): SlackMessage {
  return {
    text: msg.text,
    blocks: msg.blocks.filter((b) => b.type !== 'data_visualization' && b.type !== 'data_table'),
  };
}

function blockTextLength(block: AnyMessageBlock): number {
  return JSON.stringify(block).length;
}

/**
 * Assembles a message within Slack's limits: at most 50 blocks and a conservative character
 * budget. Blocks past the budget are dropped from the end and replaced by one context line
 * that says so, so nothing is cut silently.
 */
export function message(text: string, blocks: readonly AnyMessageBlock[]): SlackMessage {
  const out: AnyMessageBlock[] = [];
  let used = 0;
  const reserve = 200;
  for (const [i, block] of blocks.entries()) {
    const size = blockTextLength(block);
    const last = i === blocks.length - 1;
    const roomForBlocks = out.length < LIMITS.blocksPerMessage - (last ? 0 : 1);
    if (!roomForBlocks || used + size > LIMITS.messageBudget - (last ? 0 : reserve)) {
      out.push(context([`…${blocks.length - i} more sections left out to fit Slack's message limits.`]));
      break;
    }
    out.push(block);
    used += size;
  }
  return { text: truncate(text, LIMITS.messageText), blocks: out };
}
