// Text from outside — a provider's answer or error, a file — made safe to show where a control
// character would do harm: a terminal (ESC starts escape sequences that can rewrite the screen
// or the title), one line of a log or a table, a pull-request comment (GitHub refuses NUL).

/** C0 controls except tab, line feed and carriage return; DEL; C1 controls. */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** Every line ending CommonMark or a terminal honours: CRLF, CR, LF, NEL, LS, PS. */
const LINE_BREAKS = /\r\n|[\r\n\u0085\u2028\u2029]/g;

/** `text` with control characters shown as U+FFFD (line breaks and tabs kept). */
export function withoutControls(text: string): string {
  return text.replace(CONTROLS, '\uFFFD');
}

/** `text` as one line: line breaks and tabs become spaces, control characters U+FFFD. */
export function oneLine(text: string): string {
  return withoutControls(text.replace(LINE_BREAKS, ' ').replace(/\t/g, ' '));
}
