/**
 * The AWS Chatbot (Amazon Q Developer in chat applications) custom notification for Slack, Teams
 * and Chime: `version` "1.0", `source` "custom", `content` for the card, `metadata` for threading.
 * A finding's messages share its dedup key as `threadId`, so the RESOLVED message lands in the
 * thread of the one that opened it. Chatbot reads the `https` value of a published per-protocol
 * document (its SNS subscription is HTTPS): give SnsNotifier `httpsPayload: 'chatbot'` for a topic
 * Chatbot subscribes to.
 */
import { ROLLUP_RESOURCES_SHOWN, type Notification } from './notification';
import { inertText } from '../model/text';

export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps: string[];
    keywords: string[];
  };
  metadata: {
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
    enableCustomActions: boolean;
  };
}

/** Chat cards stay readable: the description is cut to this many characters. */
export const CHATBOT_DESCRIPTION_MAX = 3_000;

const EMOJI: Record<string, string> = {
  CRITICAL: ':red_circle:',
  HIGH: ':large_orange_circle:',
  MEDIUM: ':large_yellow_circle:',
  LOW: ':large_blue_circle:',
  INFORMATIONAL: ':white_circle:',
  RESOLVED: ':white_check_mark:',
};

/** Markdown-significant characters of chat platforms, neutralized in values taken from events. */
function plain(text: string): string {
  return text.replace(/[`*_~<>|[\]]/g, (c) => `\\${c}`);
}

/** One line a person reads in the chat client: controls, bidi and invisible characters escaped (`\x1b`, `\u202e`). */
const shown = (text: string): string => inertText(text);

export function chatbotNotificationOf(notification: Notification): ChatbotNotification {
  const { finding, control, rollup } = notification;
  const resolved = notification.transition === 'resolved' || rollup?.kind === 'resolved';
  const label = resolved ? 'RESOLVED' : finding.severity;
  const lines: string[] = [];
  if (rollup) {
    lines.push(
      `*${rollup.count} more* findings of \`${control.id}\` ${rollup.kind} in account ${finding.account} between ${rollup.windowStart} and ${rollup.windowEnd} (${rollup.sentIndividually} sent one by one before).`,
    );
    const shown = rollup.items.slice(0, ROLLUP_RESOURCES_SHOWN);
    lines.push(...shown.map((item) => `• ${plain(item.resourceId)} (${item.region}, ${item.severity})`));
    if (rollup.count > shown.length) lines.push(`… and ${rollup.count - shown.length} more`);
  } else {
    const e = finding.evidence;
    lines.push(
      `*${notification.transition.toUpperCase()}*: ${plain(resolved ? (finding.resolvedBy?.message ?? finding.message) : finding.message)}`,
    );
    lines.push(
      `*Who*: ${plain(e.actor?.arn ?? e.actor?.principalId ?? 'unknown')}${e.sourceIp ? ` from ${plain(e.sourceIp)}` : ''}${e.userAgent ? ` (${plain(e.userAgent)})` : ''}`,
    );
    lines.push(`*Where*: ${finding.account} / ${finding.region}, ${plain(finding.resourceType)} ${plain(finding.resourceId)}`);
    lines.push(`*When*: ${resolved ? finding.resolvedAt : finding.lastSeen}`);
  }
  lines.push(`*Why*: ${plain(control.rationale)}`);
  if (control.frameworks.length > 0)
    lines.push(`*Frameworks*: ${control.frameworks.map((f) => `${f.framework} ${f.requirement}`).join(', ')}`);
  if (notification.link) lines.push(`<${notification.link}|Open the finding>`);
  // Each line inert on its own: a line break inside a value from an event cannot forge a line of the card.
  const description = lines.map(shown).join('\n');
  return {
    version: '1.0',
    source: 'custom',
    id: `${notification.dedupKey}:${notification.transition}:${resolved ? (finding.resolvedBy?.eventId ?? finding.evidence.eventId) : finding.evidence.eventId}`,
    content: {
      textType: 'client-markdown',
      title: shown(`${EMOJI[label] ?? ''} ${notification.subject}`.trim()),
      description: description.length <= CHATBOT_DESCRIPTION_MAX ? description : `${description.slice(0, CHATBOT_DESCRIPTION_MAX - 1)}…`,
      nextSteps: resolved ? [] : control.runbook.slice(0, 10).map(shown),
      keywords: [label, finding.area, control.id, finding.account, finding.region].map(shown),
    },
    metadata: {
      threadId: notification.dedupKey,
      summary: shown(notification.subject),
      eventType: `trailwarden.${notification.transition}`,
      relatedResources: (rollup ? rollup.items.slice(0, ROLLUP_RESOURCES_SHOWN).map((item) => item.resourceId) : [finding.resourceId]).map(
        shown,
      ),
      additionalContext: Object.fromEntries(
        Object.entries({
          dedupKey: notification.dedupKey,
          controlId: control.id,
          severity: finding.severity,
          status: finding.status,
          account: finding.account,
          region: finding.region,
          ...(notification.link ? { link: notification.link } : {}),
        }).map(([key, value]) => [key, shown(value)]),
      ),
      enableCustomActions: true,
    },
  };
}
