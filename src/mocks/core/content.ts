import { pick, type RandomSource } from '../../lib/random';

const LINES = [
  'Thanks for calling NovaPulse support, how can I help you today?',
  'Hi, I uploaded a recording this morning and it still shows as processing.',
  'Let me pull up the job for you, could you read me the job ID?',
  'Sure, it starts with job underscore zero one.',
  'I can see it here, it finished a minute ago and the transcript is ready.',
  'Our billing dashboard shows more audio hours than we expected this month.',
  'The overage comes from the batch you re-uploaded on Tuesday.',
  'Can we switch the remaining files to the full analysis pipeline?',
  'Yes, insights need full analysis, so those jobs have to be uploaded again.',
  'The customer mentioned the delivery was late twice in a row.',
  'I will escalate the refund request to the account manager today.',
  'Please send the invoice to the finance address on file.',
  'We saw a spike of rate limit errors around noon.',
  'The integration now waits for the Retry-After header before it retries.',
  'Is there anything else I can help you with?',
  'No, that is everything, thank you for your help.',
];

const TOPICS = ['billing', 'onboarding', 'delivery delay', 'refund', 'API errors', 'rate limits', 'renewal', 'product feedback', 'escalation'];
const ACTIONS = [
  'Send the updated invoice to finance',
  'Escalate the refund request to the account manager',
  'Re-upload the remaining files with full analysis',
  'Follow up with the customer on Friday',
  'Check the integration logs for 429 responses',
  'Schedule a renewal call next month',
];

export interface GeneratedTranscript {
  text: string;
  segments: { start: number; end: number; speaker: string; text: string }[];
}

export function generateTranscript(random: RandomSource, durationSeconds: number): GeneratedTranscript {
  const count = 3 + Math.floor(random() * 6);
  const slot = Math.max(durationSeconds, 1) / count;
  const segments = Array.from({ length: count }, (_, index) => {
    const start = Math.round(index * slot * 10) / 10;
    const end = Math.round((index + 1) * slot * 10) / 10;
    return { start, end, speaker: index % 2 === 0 ? 'A' : 'B', text: pick(random, LINES) };
  });
  return { text: segments.map((segment) => segment.text).join(' '), segments };
}

export function generateInsights(random: RandomSource) {
  const score = Math.round((random() * 2 - 1) * 100) / 100;
  const topics = [...new Set([pick(random, TOPICS), pick(random, TOPICS), pick(random, TOPICS)])];
  return {
    summary: `The caller discussed ${topics.join(', ')}; the agent agreed on next steps.`,
    topics,
    sentiment: { overall: score > 0.2 ? 'positive' : score < -0.2 ? 'negative' : 'neutral', score },
    action_items: [...new Set([pick(random, ACTIONS), pick(random, ACTIONS)])],
  };
}

/** A 32-bit seed from a string, so a job's generated content is the same on every read. */
export function seedFromString(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}
