import { createInterface } from 'node:readline/promises';
import { CreateError } from './errors';
import { TEMPLATES, type Template } from './templates';

/** The streams a question goes through (a terminal in use, fakes in tests). */
export interface PromptStreams {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

/** Ask one question; an empty answer takes `fallback`. */
export async function ask(streams: PromptStreams, question: string, fallback: string): Promise<string> {
  const lines = createInterface({ input: streams.input, output: streams.output, terminal: false });
  try {
    const answer = (await lines.question(`${question} (${fallback}) `)).trim();
    return answer === '' ? fallback : answer;
  } finally {
    lines.close();
  }
}

/** Ask which template, by number or name, showing the ones still to come. */
export async function askTemplate(streams: PromptStreams): Promise<Template> {
  const listing = TEMPLATES.map((template, index) => `  ${index + 1}. ${template.name.padEnd(8)} ${template.summary}`);
  streams.output.write(`Templates:\n${listing.join('\n')}\n`);
  const answer = await ask(streams, 'Template?', TEMPLATES[0]!.name);
  const template = TEMPLATES[Number(answer) - 1] ?? TEMPLATES.find((candidate) => candidate.name === answer);
  if (template === undefined) throw new CreateError(`There is no template '${answer}': pick one of ${TEMPLATES.map((t) => t.name).join(', ')}.`);
  return template;
}
