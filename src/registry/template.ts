// The user-message template of a prompt version: `{{name}}` placeholders filled from a
// scenario. An unknown placeholder, or one with no value, is an error — never an empty string,
// which would silently send the model a different request.

import type { Scenario } from '../dataset/schema.ts';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variables a scenario offers to templates. */
export const TEMPLATE_VARIABLES = ['message', 'title', 'id'] as const;

export function variablesOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Problems with a template: unknown variables, or none used (the scenario would be ignored). */
export function templateProblems(template: string): string[] {
  const used = variablesOf(template);
  const unknown = used.filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v));
  return [
    ...unknown.map((v) => `unknown template variable "{{${v}}}"; expected one of ${TEMPLATE_VARIABLES.map((t) => `{{${t}}}`).join(', ')}`),
    ...(used.length ? [] : ['the template uses no variable, so every scenario would send the same message; expected {{message}}']),
  ];
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export function render(template: string, vars: Record<string, string | undefined>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined || value === '') throw new TemplateError(`template variable "{{${name}}}" has no value`);
    return value;
  });
}

export function renderUserMessage(template: string, scenario: Scenario): string {
  return render(template, { message: scenario.message, title: scenario.title, id: scenario.id });
}
