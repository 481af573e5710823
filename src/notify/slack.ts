import type { NotifyEvent } from './event.ts';

const ICONS: Record<NotifyEvent['type'], string> = {
  failure: ':red_circle:', recovery: ':large_green_circle:', problem: ':warning:', resolved: ':white_check_mark:',
};
/** Slack shows at most this much of the output: a message stays readable. */
const OUTPUT_LINES = 20;

/** Escapes the three characters Slack's mrkdwn gives meaning to. */
export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The body for a Slack-compatible incoming webhook: `{"text": ...}` with the message and the output's tail. */
export function slackBody(event: NotifyEvent): { text: string } {
  const lines = [`${ICONS[event.type]} ${slackEscape(event.message)}`];
  const runId = (event.run?.['id'] as string | undefined) ?? event.problem?.runId;
  if (runId) lines.push(`run \`${runId}\``);
  if (event.output) {
    const tail = event.output.trimEnd().split('\n').slice(-OUTPUT_LINES).join('\n').replaceAll('```', "'''");
    lines.push(`\`\`\`${slackEscape(tail)}\`\`\``);
  }
  return { text: lines.join('\n') };
}
