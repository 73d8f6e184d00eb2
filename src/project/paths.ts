// The current project, resolved once at the edge (src/cli.ts loads it before a command runs), and
// the default paths every command uses. A default is given relative to the current folder: at
// the root it reads exactly as it always did (`prompts`, `reports/runs`), and from a subfolder it
// points back up (`../prompts`), so messages and recorded paths stay short. Paths the user types
// keep meaning what they mean in a shell: relative to where they typed them.

import { isAbsolute, join, relative } from 'node:path';
import type { PathKey } from './config.ts';
import { loadProject, loadProjectSync, type Project } from './root.ts';

let current: Project | null = null;
let currentCwd: string | null = null;

/** Load the project of `cwd` (the command line does this first); later calls reuse it. */
export async function useProject(cwd: string = process.cwd()): Promise<Project> {
  if (current && currentCwd === cwd) return current;
  current = await loadProject(cwd);
  currentCwd = cwd;
  // The project's own grader modules grade, calibrate and gate like the built-in graders.
  if (current.config.graders?.length) await (await import('../../graders/generic/set.ts')).registerProjectGraders();
  return current;
}

/** The project of the current folder (loaded now if the command line did not). */
export function currentProject(): Project {
  const cwd = process.cwd();
  if (!current || currentCwd !== cwd) {
    current = loadProjectSync(cwd);
    currentCwd = cwd;
  }
  return current;
}

/** A project folder or file, as a path from the current folder. */
export function projectPath(key: PathKey): string {
  return fromRoot(currentProject().paths[key]);
}

/** A path written in a project file (a suite's `store:`), which means relative to the project root. */
export function fromRoot(path: string): string {
  if (isAbsolute(path)) return path;
  const { root } = currentProject();
  return relative(process.cwd(), join(root, path)) || '.';
}
